// The node's normalized identifiers of some kinds, for a private set intersection.
MATCH (i:Identifier)
WHERE i.normalized = true AND i.kind IN $kinds
RETURN i.kind AS kind, i.key AS key
ORDER BY kind, key
LIMIT toInteger($limit)

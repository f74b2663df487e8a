// Normalized identifiers of the node that have no token under this key id yet (one page).
MATCH (i:Identifier)
WHERE i.normalized = true
  AND i.kind IN $kinds
  AND NOT EXISTS { (i)-[:TOKENIZED_AS]->(:PrivacyOwnToken {keyId: $keyId}) }
RETURN i.kind AS kind, i.key AS key
ORDER BY kind, key
LIMIT toInteger($limit)

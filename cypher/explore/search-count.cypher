// How many nodes match a full-text search with the same filters (counted up to $cap).
CALL () {
  CALL db.index.fulltext.queryNodes('entity_names', $query) YIELD node RETURN node
  UNION
  CALL db.index.fulltext.queryNodes('listing_text', $query) YIELD node RETURN node
  UNION
  CALL db.index.fulltext.queryNodes('identifier_text', $query) YIELD node RETURN node
  UNION
  CALL db.index.fulltext.queryNodes('case_text', $query) YIELD node RETURN node
}
WITH node
WHERE ($labels IS NULL OR any(l IN labels(node) WHERE l IN $labels))
  AND ($platform IS NULL OR node.platform = $platform OR node.code = $platform)
WITH node LIMIT toInteger($cap)
RETURN count(node) AS total

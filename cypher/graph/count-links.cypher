// How many relationships of a node match the same filters as graph/links.
CALL () {
  MATCH (n:Entity {uid: $uid}) RETURN n
  UNION
  MATCH (n:Identifier {kind: $kind, key: $key}) RETURN n
}
MATCH (n)-[r]-(m)
WHERE ($types IS NULL OR type(r) IN $types)
  AND ($labels IS NULL OR any(l IN labels(m) WHERE l IN $labels))
  AND ($direction = 'BOTH'
    OR ($direction = 'OUT' AND startNode(r) = n)
    OR ($direction = 'IN' AND endNode(r) = n))
RETURN count(r) AS total

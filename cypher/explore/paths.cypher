// Why two nodes are linked: every shortest path between them of at most six hops (callers cut
// at their own maximum), never through nodes with more than $maxDegree relationships (platforms,
// products) nor through network bookkeeping, optionally only over some relationship types.
CALL () {
  MATCH (n:Entity {uid: $fromUid}) RETURN n AS a
  UNION
  MATCH (n:Identifier {kind: $fromKind, key: $fromKey}) RETURN n AS a
}
CALL () {
  MATCH (n:Entity {uid: $toUid}) RETURN n AS b
  UNION
  MATCH (n:Identifier {kind: $toKind, key: $toKey}) RETURN n AS b
}
WITH a, b
WHERE a <> b
MATCH p = allShortestPaths((a)-[*..6]-(b))
WHERE all(n IN nodes(p) WHERE (n:Entity OR n:Identifier) AND (n = a OR n = b OR COUNT { (n)--() } <= $maxDegree))
  AND ($types IS NULL OR all(r IN relationships(p) WHERE type(r) IN $types))
WITH p
WHERE length(p) <= $maxLength
RETURN
  [n IN nodes(p) | {element: elementId(n), labels: labels(n), props: properties(n)}] AS nodes,
  [r IN relationships(p) | {type: type(r), source: elementId(startNode(r))}] AS rels
LIMIT toInteger($limit)

// One page of the relationships of a node (a record by uid or an identifier by kind + key),
// optionally only some types, one direction and some neighbour labels, in a stable order.
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
RETURN
  type(r) AS type,
  startNode(r) = n AS outgoing,
  properties(r) AS rel,
  labels(m) AS labels,
  properties(m) AS props
ORDER BY type, coalesce(m.uid, m.kind + ':' + m.key), elementId(r)
SKIP toInteger($offset)
LIMIT toInteger($limit)

// Restores links that removeLink took away between two nodes (either direction): recreates each
// relationship with the properties it had and drops its tombstone. Answers how many were restored
// and the element ids of both ends.
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
WITH a, b,
  CASE WHEN a:Identifier THEN a.kind + ':' + a.key ELSE a.uid END AS refA,
  CASE WHEN b:Identifier THEN b.kind + ':' + b.key ELSE b.uid END AS refB
OPTIONAL CALL (a, b, refA, refB) {
  MATCH (t:LinkTombstone {from: refA, type: $type, to: refB})
  RETURN t, a AS s, b AS e
  UNION
  MATCH (t:LinkTombstone {from: refB, type: $type, to: refA})
  RETURN t, b AS s, a AS e
}
CALL (t, s, e) {
  WITH t, s, e
  WHERE t IS NOT NULL
  MERGE (s)-[r:$(t.type)]->(e)
  FOREACH (k IN coalesce(t.linkProperties, []) | SET r[k] = t['link.' + k])
  DELETE t
}
RETURN count(t) AS restored, [elementId(a), elementId(b)] AS ends

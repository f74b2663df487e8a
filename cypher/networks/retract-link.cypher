// Removes a wrong relationship of the given type between two nodes (a record by uid or an
// identifier by kind + key, either direction) and leaves a tombstone for each one removed — its
// start, type and end as ingest names them (a record's uid, an identifier's "kind:key") and the
// properties it had — so that re-importing the observation does not bring it back and restoreLink
// can. Answers how many were removed and the element ids of both ends.
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
OPTIONAL MATCH (a)-[r]-(b)
WHERE type(r) = $type
CALL (r) {
  WITH r
  WHERE r IS NOT NULL
  WITH r, startNode(r) AS s, endNode(r) AS e, properties(r) AS props
  MERGE (t:LinkTombstone {
    from: CASE WHEN s:Identifier THEN s.kind + ':' + s.key ELSE s.uid END,
    type: type(r),
    to: CASE WHEN e:Identifier THEN e.kind + ':' + e.key ELSE e.uid END
  })
  SET t.removedAt = datetime($now), t.linkProperties = keys(props)
  FOREACH (k IN keys(props) | SET t['link.' + k] = props[k])
  DELETE r
}
RETURN count(r) AS removed, [elementId(a), elementId(b)] AS ends

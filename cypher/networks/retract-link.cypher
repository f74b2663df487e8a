// Removes a wrong relationship of the given type between two nodes (a record by uid or an
// identifier by kind + key, either direction); answers how many were removed.
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
WITH collect(r) AS rels
FOREACH (r IN rels | DELETE r)
RETURN size(rels) AS removed

// The element id of a linking node given as a record uid (a route) or an identifier kind + key.
CALL () {
  MATCH (n:Entity {uid: $uid}) RETURN n
  UNION
  MATCH (n:Identifier {kind: $kind, key: $key}) RETURN n
}
RETURN elementId(n) AS connector

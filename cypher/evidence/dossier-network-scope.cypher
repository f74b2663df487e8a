// The record nodes of a network around a root: entities reachable in up to four steps through
// shared identifiers and direct links, never through hubs every seller shares (platforms, products,
// trademarks, cases), bounded to $limit nodes.
MATCH (r:Entity {uid: $uid})
CALL (r) {
  MATCH (r) ((a)-[]-(b) WHERE NOT (b:Platform OR b:Product OR b:Trademark OR b:Case OR b:Evidence OR b:CustomsRecordation)){0,4} (n:Entity)
  RETURN DISTINCT n
  LIMIT toInteger($limit)
}
RETURN collect(DISTINCT n.uid) AS uids

// Connectors a change touched that have just become hubs (more than $hubLimit members, not yet
// flagged): flags them, and answers their members that are in a network with that network — the
// networks that may have held together only through them (they are re-examined for a split).
CALL () {
  UNWIND $identifiers AS i
  MATCH (c:Identifier {kind: i.kind, key: i.key})
  RETURN c
  UNION
  UNWIND $uids AS uid
  MATCH (c:Entity {uid: uid})
  WHERE c:LogisticsRoute AND $routes
  RETURN c
  UNION
  UNWIND $ends AS eid
  MATCH (c)
  WHERE elementId(c) = eid AND (c:Identifier OR (c:LogisticsRoute AND $routes))
  RETURN c
}
WITH c
WHERE c.networkHub IS NULL
  AND (c:LogisticsRoute OR (c.kind IN $kinds AND NOT c.kind + ':' + c.key IN $excluded))
  AND COUNT { (c)<--() } > $hubLimit
CALL (c) {
  CALL (c) {
    MATCH (c)<--(m:Seller|Factory|Company|Person)
    RETURN m
    UNION
    MATCH (c)<-[:HAS_WAYBILL|SENT_FROM|ALONG]-(:Shipment)-[:SHIPPED_BY]->(m:Seller|Factory|Company|Person)
    RETURN m
  }
  RETURN m
  LIMIT toInteger($cap)
}
WITH c, count(m) AS members
WHERE members > $hubLimit
SET c.networkHub = true
WITH c
CALL (c) {
  MATCH (c)<--(m:Seller|Factory|Company|Person)-[:IN_NETWORK]->(n:Network)
  RETURN m, n
  UNION
  MATCH (c)<-[:HAS_WAYBILL|SENT_FROM|ALONG]-(:Shipment)-[:SHIPPED_BY]->(m:Seller|Factory|Company|Person)-[:IN_NETWORK]->(n:Network)
  RETURN m, n
}
RETURN DISTINCT m.uid AS member, n.id AS network

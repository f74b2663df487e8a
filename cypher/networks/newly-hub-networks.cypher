// Connectors touched by a change that have just become hubs (more than $hubLimit members, not yet
// flagged): flags them and answers the networks that may have held together through them.
CALL () {
  UNWIND $identifiers AS i
  MATCH (c:Identifier {kind: i.kind, key: i.key})
  WHERE c.kind IN $kinds AND c.networkHub IS NULL
  RETURN c
  UNION
  UNWIND $uids AS uid
  MATCH (c:Entity {uid: uid})
  WHERE c:LogisticsRoute AND $routes AND c.networkHub IS NULL
  RETURN c
}
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
  MATCH (c)<--(:Seller|Factory|Company|Person)-[:IN_NETWORK]->(n:Network)
  RETURN n.id AS network
  UNION
  MATCH (c)<-[:HAS_WAYBILL|SENT_FROM|ALONG]-(:Shipment)-[:SHIPPED_BY]->(:Seller|Factory|Company|Person)-[:IN_NETWORK]->(n:Network)
  RETURN n.id AS network
}
RETURN DISTINCT network

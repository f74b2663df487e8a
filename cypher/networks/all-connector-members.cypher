// For every connector shared by two members or more: its members (at most $cap) and whether it
// is a hub. The full recompute links members through the non-hub ones.
CALL () {
  MATCH (c:Identifier)
  WHERE c.kind IN $kinds AND NOT c.kind + ':' + c.key IN $excluded
  RETURN c
  UNION
  MATCH (c:LogisticsRoute)
  WHERE $routes
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
  RETURN m.uid AS member
  LIMIT toInteger($cap)
}
WITH c, collect(member) AS members
WHERE size(members) >= 2
RETURN elementId(c) AS connector, members, size(members) > $hubLimit AS hub

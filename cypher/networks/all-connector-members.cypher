// For every connector (identifier of a linking kind that is not excluded, or logistics route) with
// two members or more, or flagged as a hub: its members (at most $cap), whether it is a hub now and
// whether it is flagged as one. The full recompute links members through the non-hub ones.
CALL () {
  MATCH (c:Identifier)
  WHERE c.kind IN $kinds AND NOT c.kind + ':' + c.key IN $excluded
  RETURN c
  UNION
  MATCH (c:LogisticsRoute)
  WHERE $routes
  RETURN c
}
WITH c
// Two members need two incoming relationships (a degree read, no expansion): most identifiers
// belong to one seller only.
WHERE COUNT { (c)<--() } >= 2 OR c.networkHub IS NOT NULL
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
WHERE size(members) >= 2 OR c.networkHub IS NOT NULL
RETURN elementId(c) AS connector, members, size(members) > $hubLimit AS hub,
  c.networkHub IS NOT NULL AS flagged

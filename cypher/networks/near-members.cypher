// The members whose links ran through the given nodes (the ends of a removed or restored link):
// a member itself; the members behind an identifier or route (at most $cap: a hub links nobody);
// the sender of a shipment and the members behind the shipment's waybill, origin and route.
UNWIND $ends AS eid
MATCH (x)
WHERE elementId(x) = eid
CALL (x) {
  CALL (x) {
    WITH x
    WHERE x:Seller OR x:Factory OR x:Company OR x:Person
    RETURN x AS m
    UNION
    MATCH (x)<--(m:Seller|Factory|Company|Person)
    WHERE x:Identifier OR x:LogisticsRoute
    RETURN m
    UNION
    MATCH (x)<-[:HAS_WAYBILL|SENT_FROM|ALONG]-(:Shipment)-[:SHIPPED_BY]->(m:Seller|Factory|Company|Person)
    WHERE x:Identifier OR x:LogisticsRoute
    RETURN m
    UNION
    MATCH (x)-[:SHIPPED_BY]->(m:Seller|Factory|Company|Person)
    WHERE x:Shipment
    RETURN m
    UNION
    MATCH (x)-[:HAS_WAYBILL|SENT_FROM|ALONG]->(c)<--(m:Seller|Factory|Company|Person)
    WHERE x:Shipment
    RETURN m
    UNION
    MATCH (x)-[:HAS_WAYBILL|SENT_FROM|ALONG]->(c)<-[:HAS_WAYBILL|SENT_FROM|ALONG]-(:Shipment)-[:SHIPPED_BY]->(m:Seller|Factory|Company|Person)
    WHERE x:Shipment
    RETURN m
  }
  RETURN m
  LIMIT toInteger($cap)
}
RETURN DISTINCT m.uid AS uid

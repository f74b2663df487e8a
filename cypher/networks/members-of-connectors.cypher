// The members (sellers, factories, companies, people) behind each connector, at most $cap of
// them: a connector with more than $hubLimit members is a hub and links nobody.
UNWIND $connectors AS cid
MATCH (c)
WHERE elementId(c) = cid
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
WITH cid, collect(member) AS members
RETURN cid AS connector, members, size(members) > $hubLimit AS hub

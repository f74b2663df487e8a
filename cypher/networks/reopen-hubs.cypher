// Connectors at the ends of a removed link that were hubs and now have $hubLimit members or fewer:
// clears their flag (they link again) and answers their members, whose networks may now merge.
UNWIND $ends AS eid
MATCH (c)
WHERE elementId(c) = eid AND c.networkHub = true
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
WITH c, collect(m.uid) AS members
WHERE size(members) <= $hubLimit
REMOVE c.networkHub
WITH members
UNWIND members AS uid
RETURN DISTINCT uid

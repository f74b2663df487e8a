// The members a change touched: records that are members themselves (sellers, factories,
// companies, people), and the senders of shipments it touched.
CALL () {
  UNWIND $uids AS uid
  MATCH (m:Entity {uid: uid})
  WHERE m:Seller OR m:Factory OR m:Company OR m:Person
  RETURN m
  UNION
  UNWIND $uids AS uid
  MATCH (s:Entity {uid: uid})-[:SHIPPED_BY]->(m:Seller|Factory|Company|Person)
  WHERE s:Shipment
  RETURN m
}
RETURN DISTINCT m.uid AS uid

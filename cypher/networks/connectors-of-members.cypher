// Which linking nodes (identifiers of the linking kinds, and routes) each member uses, directly
// or through the shipments it sent; one row per (member, connector).
UNWIND $uids AS uid
MATCH (m:Entity {uid: uid})
CALL (m) {
  MATCH (m)-->(c:Identifier)
  WHERE c.kind IN $kinds
  RETURN c
  UNION
  MATCH (m)<-[:SHIPPED_BY]-(:Shipment)-[:HAS_WAYBILL|SENT_FROM]->(c:Identifier)
  WHERE c.kind IN $kinds
  RETURN c
  UNION
  MATCH (m)<-[:SHIPPED_BY]-(:Shipment)-[:ALONG]->(c:LogisticsRoute)
  WHERE $routes
  RETURN c
}
WITH uid, c
WHERE NOT (c:Identifier AND c.kind + ':' + c.key IN $excluded)
RETURN uid AS member, elementId(c) AS connector

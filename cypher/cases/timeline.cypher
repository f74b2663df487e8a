// A case's timeline: its opening and closing, evidence captured, enforcement actions, and the
// first sighting of each record in it, oldest first.
MATCH (c:Case {uid: $uid})
CALL (c) {
  RETURN 'CASE_OPENED' AS kind, toString(c.openedOn) AS at, c AS node
  UNION ALL
  WITH c WHERE c.closedOn IS NOT NULL
  RETURN 'CASE_CLOSED' AS kind, toString(c.closedOn) AS at, c AS node
  UNION ALL
  MATCH (e:Evidence)-[:EVIDENCE_FOR]->(c)
  RETURN 'EVIDENCE' AS kind, toString(coalesce(e.capturedAt, e.firstSeen)) AS at, e AS node
  UNION ALL
  MATCH (a:EnforcementAction)-[:PART_OF_CASE]->(c)
  RETURN 'ENFORCEMENT_ACTION' AS kind, toString(coalesce(a.date, a.firstSeen)) AS at, a AS node
  UNION ALL
  MATCH (m)-[:PART_OF_CASE]->(c)
  WHERE NOT m:EnforcementAction
  RETURN 'ENTITY_FIRST_SEEN' AS kind, toString(m.firstSeen) AS at, m AS node
}
WITH kind, at, node
WHERE at IS NOT NULL
RETURN kind, at, labels(node) AS labels, properties(node) AS props
ORDER BY at, kind, node.uid
LIMIT 2000

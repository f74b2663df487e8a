// The records in a case (sellers, listings, factories…), besides its evidence and actions, and
// the records its enforcement actions targeted.
MATCH (c:Case {uid: $uid})
CALL (c) {
  MATCH (m)-[:PART_OF_CASE]->(c)
  WHERE NOT m:EnforcementAction AND NOT m:Evidence
  RETURN m
  UNION
  MATCH (:EnforcementAction)-[:PART_OF_CASE]->(c)
  MATCH (:EnforcementAction)-[:TARGETED]->(m)
  RETURN m
}
RETURN labels(m) AS labels, properties(m) AS props
ORDER BY m.uid
LIMIT 2000

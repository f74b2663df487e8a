// The cases any member of a network is part of (directly or as an enforcement target).
MATCH (:Network {id: $id})<-[:IN_NETWORK]-(m)
CALL (m) {
  MATCH (m)-[:PART_OF_CASE]->(c:Case) RETURN c
  UNION
  MATCH (m)<-[:TARGETED]-(:EnforcementAction)-[:PART_OF_CASE]->(c:Case) RETURN c
}
WITH DISTINCT c
RETURN labels(c) AS labels, properties(c) AS props
ORDER BY c.openedOn, c.uid
LIMIT 1000

// The enforcement actions that targeted members of a network, oldest first.
MATCH (:Network {id: $id})<-[:IN_NETWORK]-(m)<-[:TARGETED]-(a:EnforcementAction)
WITH DISTINCT a
RETURN labels(a) AS labels, properties(a) AS props
ORDER BY a.date, a.uid
LIMIT 1000

// One page of a network's members (optionally only some labels), in uid order.
MATCH (m)-[:IN_NETWORK]->(:Network {id: $id})
WHERE $labels IS NULL OR any(l IN labels(m) WHERE l IN $labels)
RETURN labels(m) AS labels, properties(m) AS props
ORDER BY m.uid
SKIP toInteger($offset)
LIMIT toInteger($limit)

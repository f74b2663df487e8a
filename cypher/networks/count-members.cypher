// How many members of a network match the members filter.
MATCH (m)-[:IN_NETWORK]->(:Network {id: $id})
WHERE $labels IS NULL OR any(l IN labels(m) WHERE l IN $labels)
RETURN count(m) AS total

// Every membership of every network (the full recompute's starting point).
MATCH (m)-[:IN_NETWORK]->(n:Network)
RETURN m.uid AS member, n.id AS network, toString(n.createdAt) AS createdAt, coalesce(n.size, 0) AS size

// The network a record (by uid) belongs to, if any.
MATCH (:Entity {uid: $uid})-[:IN_NETWORK]->(n:Network)
RETURN properties(n) AS props

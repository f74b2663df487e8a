// The network each given member is in, with that network's creation time and size.
UNWIND $uids AS uid
MATCH (:Entity {uid: uid})-[:IN_NETWORK]->(n:Network)
RETURN uid AS member, n.id AS network, toString(n.createdAt) AS createdAt, coalesce(n.size, 0) AS size

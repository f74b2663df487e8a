// The network each given member is in (members in none answer no row).
UNWIND $uids AS uid
MATCH (:Entity {uid: uid})-[:IN_NETWORK]->(n:Network)
RETURN uid AS member, n.id AS network

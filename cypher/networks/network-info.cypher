// What the maintainer needs to know about networks: creation time (the older of two equal-sized
// networks survives a merge), members (counted from the relationships, so exact within the change
// that is moving them) and sellers (as the last change stored them).
UNWIND $ids AS id
MATCH (n:Network {id: id})
RETURN n.id AS id, toString(n.createdAt) AS createdAt, COUNT { (n)<-[:IN_NETWORK]-() } AS size,
  coalesce(n.sellers, 0) AS sellers

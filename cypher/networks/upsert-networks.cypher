// Creates the networks that are new (with their creation time) and stamps every kept one.
UNWIND $networks AS n
MERGE (net:Network {id: n.id})
  ON CREATE SET net.createdAt = datetime($now)
SET net.updatedAt = datetime($now)
RETURN count(net) AS upserted

// Puts members into networks, creating a network that is new (with its creation time): a member
// leaves any other network it was in (each member is in one network at most).
UNWIND $networks AS n
MERGE (net:Network {id: n.id})
  ON CREATE SET net.createdAt = datetime($now)
SET net.updatedAt = datetime($now)
WITH net, n
UNWIND n.members AS uid
MATCH (m:Entity {uid: uid})
OPTIONAL MATCH (m)-[old:IN_NETWORK]->(other:Network)
WHERE other <> net
DELETE old
MERGE (m)-[:IN_NETWORK]->(net)
RETURN count(DISTINCT m) AS members

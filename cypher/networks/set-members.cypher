// Puts each member into its network: drops a membership of another network, keeps the right one.
UNWIND $networks AS n
MATCH (net:Network {id: n.id})
UNWIND n.members AS uid
MATCH (m:Entity {uid: uid})
OPTIONAL MATCH (m)-[old:IN_NETWORK]->(other:Network)
WHERE other.id <> n.id
DELETE old
MERGE (m)-[:IN_NETWORK]->(net)
RETURN count(DISTINCT m) AS members

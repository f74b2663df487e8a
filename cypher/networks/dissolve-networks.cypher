// Removes networks left without members, with the aliases that pointed at them.
UNWIND $ids AS id
MATCH (n:Network {id: id})
OPTIONAL MATCH (alias:NetworkAlias)-[:ALIAS_OF]->(n)
DETACH DELETE alias, n
RETURN count(DISTINCT id) AS dissolved

// Merges networks into their survivors: the absorbed id (and every alias that pointed at it)
// becomes an alias of the survivor, and the absorbed network node goes.
UNWIND $absorbed AS a
MATCH (old:Network {id: a.from})
MATCH (survivor:Network {id: a.into})
OPTIONAL MATCH (alias:NetworkAlias)-[r:ALIAS_OF]->(old)
FOREACH (_ IN CASE WHEN alias IS NULL THEN [] ELSE [1] END |
  MERGE (alias)-[:ALIAS_OF]->(survivor)
  DELETE r)
MERGE (own:NetworkAlias {id: a.from})
  ON CREATE SET own.mergedAt = datetime($now)
MERGE (own)-[:ALIAS_OF]->(survivor)
WITH DISTINCT old
DETACH DELETE old
RETURN count(*) AS absorbed

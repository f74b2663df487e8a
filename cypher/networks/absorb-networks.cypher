// Merges networks into their survivors: the members of the absorbed network move over (the caller
// absorbs the smaller into the larger, so this moves the fewest), its id and every alias that
// pointed at it become aliases of the survivor, and the absorbed network node goes.
UNWIND $absorbed AS a
MATCH (old:Network {id: a.from})
MATCH (survivor:Network {id: a.into})
CALL (old, survivor) {
  MATCH (m)-[r:IN_NETWORK]->(old)
  DELETE r
  MERGE (m)-[:IN_NETWORK]->(survivor)
}
CALL (old, survivor) {
  MATCH (alias:NetworkAlias)-[r:ALIAS_OF]->(old)
  DELETE r
  MERGE (alias)-[:ALIAS_OF]->(survivor)
}
MERGE (own:NetworkAlias {id: a.from})
  ON CREATE SET own.mergedAt = datetime($now)
MERGE (own)-[:ALIAS_OF]->(survivor)
SET survivor.updatedAt = datetime($now)
DETACH DELETE old
RETURN count(*) AS absorbed

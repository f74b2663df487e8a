// A network by its id or by the id of a network merged into it, with all its aliases.
CALL () {
  MATCH (n:Network {id: $id}) RETURN n
  UNION
  MATCH (:NetworkAlias {id: $id})-[:ALIAS_OF]->(n:Network) RETURN n
}
OPTIONAL MATCH (a:NetworkAlias)-[:ALIAS_OF]->(n)
RETURN properties(n) AS props, collect(a.id) AS aliases

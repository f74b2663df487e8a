// The relationships among the given record nodes, and from them to identifier nodes.
MATCH (a:Entity)-[r]->(b)
WHERE a.uid IN $uids AND ((b:Entity AND b.uid IN $uids) OR b:Identifier)
RETURN a.uid AS from, type(r) AS type,
  CASE WHEN b:Entity THEN b.uid ELSE 'Identifier:' + b.kind + ':' + b.key END AS to,
  properties(r) AS props
ORDER BY from, type, to

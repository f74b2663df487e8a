// The given record nodes and the identifier nodes they point to, with labels and properties.
MATCH (n:Entity) WHERE n.uid IN $uids
OPTIONAL MATCH (n)-->(i:Identifier)
WITH collect(DISTINCT n) + collect(DISTINCT i) AS nodes
UNWIND nodes AS x
RETURN labels(x) AS labels, properties(x) AS props

// The evidence items that prove any of the given record nodes.
MATCH (e:Evidence:Entity)-[:EVIDENCE_FOR|CONCERNS]->(t:Entity)
WHERE t.uid IN $uids
RETURN DISTINCT e.uid AS uid

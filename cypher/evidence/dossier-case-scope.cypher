// The record nodes a case dossier covers: the case, what is part of it, and what its members
// target, operate or list (evidence is gathered separately, for all of them).
MATCH (c:Case:Entity {uid: $uid})
OPTIONAL MATCH (m:Entity)-[:PART_OF_CASE]->(c)
WITH c, [x IN collect(DISTINCT m) WHERE NOT x:Evidence] AS members
UNWIND [c] + members AS x
OPTIONAL MATCH (x)-[:TARGETED|OPERATES|LISTS|SHIPPED_BY|SUPPLIED_BY]->(y:Entity)
WHERE NOT y:Evidence
WITH collect(DISTINCT x.uid) + collect(DISTINCT y.uid) AS uids
UNWIND uids AS uid
RETURN collect(DISTINCT uid) AS uids

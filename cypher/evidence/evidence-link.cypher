// Links an evidence item to the record it proves, the way ingest records links (source, times).
MATCH (e:Evidence:Entity {uid: $uid})
MATCH (t:Entity {uid: $target})
MERGE (e)-[r:EVIDENCE_FOR]->(t)
  ON CREATE SET
    r.source = $source,
    r.sources = [$source],
    r.observedAt = datetime($now),
    r.lastObservedAt = datetime($now),
    r.confidence = 1.0
SET r.lastObservedAt = datetime($now)
RETURN type(r) AS type

// Merges relationships between record nodes (merged earlier in the same transaction) and
// answers, per record, how many it created and how many already existed. Each relationship
// keeps its first source, all sources, first/last observation and the highest confidence.
UNWIND $links AS l
MATCH (a:Entity {uid: l.from})
MATCH (b:Entity {uid: l.to})
MERGE (a)-[r:$(l.type)]->(b)
  ON CREATE SET
    r.source = l.sources[0],
    r.sources = l.sources,
    r.observedAt = datetime(l.firstObserved),
    r.lastObservedAt = datetime(l.lastObserved),
    r.confidence = l.confidence,
    r.createdIn = $batch
WITH r, l, r.createdIn = $batch AS created
SET
  r.observedAt = CASE WHEN datetime(l.firstObserved) < r.observedAt THEN datetime(l.firstObserved) ELSE r.observedAt END,
  r.lastObservedAt = CASE WHEN datetime(l.lastObserved) > r.lastObservedAt THEN datetime(l.lastObserved) ELSE r.lastObservedAt END,
  r.confidence = CASE WHEN l.confidence > r.confidence THEN l.confidence ELSE r.confidence END,
  r.sources = r.sources + [s IN l.sources WHERE NOT s IN r.sources]
RETURN
  l.rec AS rec,
  sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,
  sum(CASE WHEN created THEN 0 ELSE 1 END) AS merged

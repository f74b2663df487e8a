// Merges relationships of one type ({{TYPE}}; run once per type in a batch) between record
// nodes merged earlier in the same transaction, and answers per record how many it created and
// how many existed. Each relationship keeps its first source, all sources, first/last
// observation and the highest confidence.
CYPHER replan=skip
UNWIND $links AS l
// A link an analyst removed stays removed when the same observation is imported again.
WITH l WHERE NOT EXISTS { (:LinkTombstone {from: l.from, type: '{{TYPE}}', to: l.to}) }
MATCH (a:Entity {uid: l.from})
MATCH (b:Entity {uid: l.to})
WITH a, b, l, EXISTS { (a)-[:{{TYPE}}]->(b) } AS existed
MERGE (a)-[r:{{TYPE}}]->(b)
  ON CREATE SET
    r.source = l.sources[0],
    r.sources = l.sources,
    r.observedAt = l.firstObserved,
    r.lastObservedAt = l.lastObserved,
    r.confidence = l.confidence
  ON MATCH SET
    r.observedAt = CASE WHEN l.firstObserved < r.observedAt THEN l.firstObserved ELSE r.observedAt END,
    r.lastObservedAt = CASE WHEN l.lastObserved > r.lastObservedAt THEN l.lastObserved ELSE r.lastObservedAt END,
    r.confidence = CASE WHEN l.confidence > r.confidence THEN l.confidence ELSE r.confidence END,
    r.sources = r.sources + [s IN l.sources WHERE NOT s IN r.sources]
RETURN
  l.rec AS rec,
  sum(CASE WHEN existed THEN 0 ELSE 1 END) AS created,
  sum(CASE WHEN existed THEN 1 ELSE 0 END) AS merged

// Merges relationships of one type ({{TYPE}}) from record nodes to identifier nodes of one kind
// ({{Label}}), both merged earlier in the same transaction, and answers per record how many it
// created and how many existed.
CYPHER replan=skip
UNWIND $links AS l
// A link an analyst removed stays removed when the same observation is imported again.
WITH l WHERE NOT EXISTS { (:LinkTombstone {from: l.from, type: '{{TYPE}}', to: l.kind + ':' + l.key}) }
MATCH (a:Entity {uid: l.from})
MATCH (b:{{Label}} {key: l.key})
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

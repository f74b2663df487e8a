// Merges record nodes of one label ({{Label}}; the store runs it once per label in a batch) by
// uid, one row per node, and answers per record how many it created and how many existed.
// Temporal values arrive ready-made. Newer observations set attributes, older ones only fill
// gaps; first/last seen keep min/max; sources stay a set. A re-import writes nothing new.
CYPHER replan=skip
UNWIND $nodes AS n
OPTIONAL MATCH (old:Entity {uid: n.uid})
WITH n, old IS NULL AS created
MERGE (e:Entity:{{Label}} {uid: n.uid})
  ON CREATE SET
    e += n.keys,
    e += n.attrs,
    e.firstSeen = n.firstSeen,
    e.lastSeen = n.lastSeen,
    e.sources = n.sources
WITH e, n, created
CALL (e, n, created) {
  WITH e, n WHERE NOT created
  WITH e, n, n.lastSeen >= e.lastSeen AS newer
  SET e += CASE WHEN newer THEN n.attrs ELSE {} END
  FOREACH (k IN CASE WHEN newer THEN [] ELSE keys(n.attrs) END |
    SET e[k] = coalesce(e[k], n.attrs[k]))
  SET
    e.firstSeen = CASE WHEN n.firstSeen < e.firstSeen THEN n.firstSeen ELSE e.firstSeen END,
    e.lastSeen = CASE WHEN newer THEN n.lastSeen ELSE e.lastSeen END,
    e.sources = e.sources + [s IN n.sources WHERE NOT s IN e.sources]
}
RETURN
  n.rec AS rec,
  sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,
  sum(CASE WHEN created THEN 0 ELSE 1 END) AS merged

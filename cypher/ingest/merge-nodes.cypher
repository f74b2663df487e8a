// Merges record nodes by uid (one row per node, deduplicated per batch) and answers, per
// record, how many nodes it created and how many already existed. Newer observations set
// attributes, older ones only fill gaps; first/last seen keep min/max; sources stay a set.
UNWIND $nodes AS n
MERGE (e:Entity {uid: n.uid})
  ON CREATE SET
    e:$(n.label),
    e += n.keys,
    e.firstSeen = datetime(n.firstSeen),
    e.lastSeen = datetime(n.lastSeen),
    e.sources = n.sources,
    e.createdIn = $batch
WITH e, n, e.createdIn = $batch AS created, datetime(n.lastSeen) >= e.lastSeen AS newer
SET e += CASE WHEN newer THEN n.props ELSE {} END
FOREACH (k IN CASE WHEN newer THEN [] ELSE keys(n.props) END |
  SET e[k] = coalesce(e[k], n.props[k]))
FOREACH (k IN keys(n.dates) |
  SET e[k] = CASE WHEN newer OR e[k] IS NULL THEN date(n.dates[k]) ELSE e[k] END)
FOREACH (k IN keys(n.datetimes) |
  SET e[k] = CASE WHEN newer OR e[k] IS NULL THEN datetime(n.datetimes[k]) ELSE e[k] END)
SET
  e.firstSeen = CASE WHEN datetime(n.firstSeen) < e.firstSeen THEN datetime(n.firstSeen) ELSE e.firstSeen END,
  e.lastSeen = CASE WHEN newer THEN datetime(n.lastSeen) ELSE e.lastSeen END,
  e.sources = e.sources + [s IN n.sources WHERE NOT s IN e.sources]
RETURN
  n.rec AS rec,
  sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,
  sum(CASE WHEN created THEN 0 ELSE 1 END) AS merged

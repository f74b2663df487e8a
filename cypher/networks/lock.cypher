// Serializes network maintenance across processes: every incremental change and every write of a
// full recompute writes this one lock node first, so Neo4j runs them one after another (the lock
// is held until commit). Answers the lease of a full recompute, if one is running, and whether
// changes are queued or links were ever removed (label counts: no scan).
MERGE (l:PalisadeLock {name: 'networks'})
SET l.version = coalesce(l.version, 0) + 1
RETURN l.holder AS holder, coalesce(l.expiresAt, 0) AS expiresAt,
  COUNT { (:NetworkPending) } AS pending, COUNT { (:LinkTombstone) } > 0 AS tombstones

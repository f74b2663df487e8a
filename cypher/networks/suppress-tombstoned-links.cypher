// Deletes relationships that an ingest batch wrote again although an analyst removed them (a
// tombstone names them), and counts on each tombstone how often a source asserted it since.
// $links: {from, type, to} as ingest names the ends (a record's uid, an identifier's "kind:key").
// Runs in the first flight of every change, so it looks no further while no tombstone exists at all
// (a label count: no scan).
WITH $links AS links
WHERE COUNT { (:LinkTombstone) } > 0
UNWIND links AS l
MATCH (t:LinkTombstone {from: l.from, type: l.type, to: l.to})
MATCH (a:Entity {uid: l.from})-[r]->(b)
WHERE type(r) = l.type
  AND l.to = CASE WHEN b:Identifier THEN b.kind + ':' + b.key ELSE b.uid END
SET t.suppressed = coalesce(t.suppressed, 0) + 1, t.lastSuppressedAt = datetime($now)
DELETE r
RETURN count(r) AS suppressed

// Network maintenance (issue 4): tombstones of links an analyst removed, one per (start, type, end)
// so that ingest and the network maintainer find them by index and a re-import cannot bring the
// link back; the change queue that incremental updates fill while a full recompute runs.
// (The lock node that serializes maintenance is a :PalisadeLock, unique by the bootstrap rule.)
CREATE CONSTRAINT link_tombstone_link IF NOT EXISTS
FOR (t:LinkTombstone) REQUIRE (t.from, t.type, t.to) IS UNIQUE;
CREATE CONSTRAINT network_pending_id IF NOT EXISTS
FOR (p:NetworkPending) REQUIRE p.id IS UNIQUE;
CREATE INDEX network_pending_at IF NOT EXISTS
FOR (p:NetworkPending) ON (p.at);

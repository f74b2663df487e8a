// Queues an incremental change while a full recompute runs (its snapshot may predate the change);
// the recompute, or the next change after it, applies the queued ones.
CREATE (p:NetworkPending {
  id: randomUUID(),
  at: datetime($now),
  uids: $uids,
  identifierKinds: $identifierKinds,
  identifierKeys: $identifierKeys,
  ends: $ends
})
RETURN p.id AS id

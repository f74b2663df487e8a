// Suspends, revokes or reinstates a peer; takes effect for the next message read.
MATCH (p:FederationPeer {id: $id})
SET p.status = $status, p.updatedAt = $now, p.statusChangedAt = $now
RETURN p {.*} AS peer

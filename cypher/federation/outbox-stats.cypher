// Outbox depth (pending messages) and the creation time of the oldest, for metrics.
MATCH (o:FederationOutbox {status: 'pending'})
RETURN count(o) AS depth, min(o.createdAt) AS oldest

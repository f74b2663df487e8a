// Pending messages whose next attempt is due, oldest first: ids and peers only (each attempt
// re-reads its message in its own transaction, so payloads are not fetched twice).
MATCH (o:FederationOutbox {status: 'pending'})
WHERE o.nextAttemptAt <= $now
RETURN o.id AS id, o.peerId AS peerId
ORDER BY o.createdAt, o.id
LIMIT toInteger($limit)

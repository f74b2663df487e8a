// Pending messages whose next attempt is due, oldest first.
MATCH (o:FederationOutbox {status: 'pending'})
WHERE o.nextAttemptAt <= $now
RETURN o {.*} AS message
ORDER BY o.createdAt, o.id
LIMIT toInteger($limit)

// A page of outbox messages, optionally of one status, newest first.
MATCH (o:FederationOutbox)
WHERE ($status IS NULL OR o.status = $status) AND ($peerId IS NULL OR o.peerId = $peerId)
RETURN o {.*} AS message
ORDER BY o.createdAt DESC, o.id
SKIP toInteger($offset) LIMIT toInteger($limit)

// A page of audit entries, newest first, optionally of one kind or peer.
MATCH (a:FederationAuditEntry)
WHERE ($kind IS NULL OR a.kind = $kind) AND ($peer IS NULL OR a.peer = $peer)
RETURN a {.*} AS entry
ORDER BY a.seq DESC
SKIP toInteger($offset) LIMIT toInteger($limit)

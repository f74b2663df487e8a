// Audit entries in chain order, from a seq on, one batch at a time.
MATCH (a:FederationAuditEntry)
WHERE a.seq >= toInteger($fromSeq)
RETURN a {.*} AS entry
ORDER BY a.seq
LIMIT toInteger($limit)

// Takes the audit log's write lock (the head node) for this transaction and returns the last
// entry's seq and hash: one appender at a time, so the chain never forks.
MERGE (h:FederationAuditHead {id: 'head'})
ON CREATE SET h.seq = 0, h.hash = null
SET h.lockedBy = $nonce
REMOVE h.lockedBy
RETURN h.seq AS seq, h.hash AS hash

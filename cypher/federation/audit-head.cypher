// The head of the audit chain (last seq and hash), kept apart from the entries.
MATCH (h:FederationAuditHead {id: 'head'})
RETURN h.seq AS seq, h.hash AS hash

// Appends one audit entry after the head and moves the head to it.
MATCH (h:FederationAuditHead {id: 'head'})
CREATE (a:FederationAuditEntry {seq: toInteger($seq), at: $at, kind: $kind, peer: $peer,
  messageType: $messageType, jti: $jti, reason: $reason, detail: $detail, prevHash: $prevHash,
  hash: $hash})
SET h.seq = toInteger($seq), h.hash = $hash
RETURN a.seq AS seq

// The receipt for a jti: who sent it and the acknowledgement given.
MATCH (r:FederationReceipt {jti: $jti})
RETURN r.sender AS sender, r.ack AS ack, r.receivedAt AS receivedAt

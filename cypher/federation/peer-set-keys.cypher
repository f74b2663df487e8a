// Re-pins a peer's keys after a verified rotation statement.
MATCH (p:FederationPeer {id: $id})
SET p.signingKeys = $signingKeys, p.encryptionKey = $encryptionKey, p.fingerprint = $fingerprint,
  p.updatedAt = $now
RETURN p {.*} AS peer

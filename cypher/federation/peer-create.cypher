// Registers a pinned peer; returns nothing when a peer with this id already exists.
MERGE (p:FederationPeer {id: $id})
ON CREATE SET p.name = $name, p.baseUrl = $baseUrl, p.inboxUrl = $inboxUrl, p.role = $role,
  p.status = 'active', p.fingerprint = $fingerprint, p.signingKeys = $signingKeys,
  p.encryptionKey = $encryptionKey, p.rateLimitPerSecond = $ratePerSecond,
  p.rateLimitBurst = $rateBurst, p.maxTlp = $maxTlp, p.audiences = $audiences,
  p.transforms = $transforms, p.createdAt = $now, p.updatedAt = $now, p.created = $nonce
WITH p, p.created = $nonce AS created
REMOVE p.created
RETURN created, p {.*} AS peer

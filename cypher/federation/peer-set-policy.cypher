// Sets a peer's sharing policy (max TLP, audiences, field transforms) and request limits.
MATCH (p:FederationPeer {id: $id})
SET p.maxTlp = $maxTlp, p.audiences = $audiences, p.transforms = $transforms,
  p.rateLimitPerSecond = $ratePerSecond, p.rateLimitBurst = $rateBurst, p.updatedAt = $now
RETURN p {.*} AS peer

// Records who examined a test purchase's goods, when, and what they found.
MATCH (p:TestPurchase:Entity {uid: $uid})
SET p.authenticationResult = $result, p.authenticatedBy = $by, p.authenticatedAt = datetime($at),
  p.outcome = $result, p.lastSeen = datetime($at)
RETURN p.uid AS uid

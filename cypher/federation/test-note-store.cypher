// Stores a received test note (CREATE on purpose: a double application would show twice).
CREATE (n:FederationTestNote {jti: $jti, from: $from, text: $text, payload: $payload,
  receivedAt: $receivedAt})
RETURN n.jti AS jti

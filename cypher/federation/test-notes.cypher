// Every received test note, oldest first.
MATCH (n:FederationTestNote)
RETURN n.jti AS jti, n.from AS from, n.text AS text, n.payload AS payload
ORDER BY n.receivedAt, n.jti

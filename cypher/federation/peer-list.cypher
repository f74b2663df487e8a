// A page of peers, optionally of one status, ordered by id.
MATCH (p:FederationPeer)
WHERE $status IS NULL OR p.status = $status
RETURN p {.*} AS peer
ORDER BY p.id
SKIP toInteger($offset) LIMIT toInteger($limit)

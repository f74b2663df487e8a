// How many peers, optionally of one status.
MATCH (p:FederationPeer)
WHERE $status IS NULL OR p.status = $status
RETURN count(p) AS total

// One peer of the registry by its node id (read fresh for every message: no cache).
MATCH (p:FederationPeer {id: $id})
RETURN p {.*} AS peer

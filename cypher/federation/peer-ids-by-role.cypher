// Active peers an audience-addressed message fans out to (role null = every active peer).
MATCH (p:FederationPeer {status: 'active'})
WHERE $role IS NULL OR p.role = $role
RETURN p.id AS id
ORDER BY id

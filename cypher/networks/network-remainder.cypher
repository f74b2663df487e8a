// The members of a network other than the given ones (the part of a split network that the split
// search did not need to walk).
MATCH (m)-[:IN_NETWORK]->(:Network {id: $id})
WHERE NOT m.uid IN $except
RETURN m.uid AS uid

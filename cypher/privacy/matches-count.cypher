// How many own identifiers have a cross-brand match (same filters as privacy/matches).
MATCH (i:Identifier)-[:TOKENIZED_AS]->(t:PrivacyOwnToken)
WHERE ($kinds IS NULL OR i.kind IN $kinds)
  AND ($identifiers IS NULL OR any(r IN $identifiers WHERE r.kind = i.kind AND r.key = i.key))
  AND ($uid IS NULL OR EXISTS { (:Entity {uid: $uid})--(i) })
  AND ($networkId IS NULL OR EXISTS { (:Network {id: $networkId})<-[:IN_NETWORK]-(:Entity)--(i) })
  AND EXISTS { (:PrivacyIndicator {token: t.token}) }
RETURN count(DISTINCT i) AS total

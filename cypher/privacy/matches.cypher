// One page of cross-brand matches: own identifiers whose token other nodes shared, with how many
// peers, the union of their coarse context, and the names of the peers that disclose themselves.
MATCH (i:Identifier)-[:TOKENIZED_AS]->(t:PrivacyOwnToken)
WHERE ($kinds IS NULL OR i.kind IN $kinds)
  AND ($identifiers IS NULL OR any(r IN $identifiers WHERE r.kind = i.kind AND r.key = i.key))
  AND ($uid IS NULL OR EXISTS { (:Entity {uid: $uid})--(i) })
  AND ($networkId IS NULL OR EXISTS { (:Network {id: $networkId})<-[:IN_NETWORK]-(:Entity)--(i) })
MATCH (x:PrivacyIndicator {token: t.token})
OPTIONAL MATCH (b:PrivacyBundle {peer: x.peer})
OPTIONAL MATCH (p:FederationPeer {id: x.peer})
WITH i, t, x, CASE WHEN b.discloseIdentity = true THEN coalesce(p.name, x.peer) END AS named
WITH i, t,
  count(DISTINCT x.peer) AS brandCount,
  collect(DISTINCT named) AS disclosed,
  min(x.firstSeen) AS firstSeen,
  max(x.lastSeen) AS lastSeen,
  sum(x.listings) AS listings,
  reduce(acc = [], c IN collect(x.categories) | acc + [v IN c WHERE NOT v IN acc]) AS categories,
  reduce(acc = [], c IN collect(x.platforms) | acc + [v IN c WHERE NOT v IN acc]) AS platforms
RETURN
  i.kind AS kind,
  i.key AS key,
  labels(i) AS labels,
  properties(i) AS props,
  t.keyId AS keyId,
  brandCount,
  disclosed,
  firstSeen,
  lastSeen,
  listings,
  categories,
  platforms
ORDER BY brandCount DESC, kind, key
SKIP toInteger($offset)
LIMIT toInteger($limit)

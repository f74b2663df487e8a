// Applies one part of a peer's bundle that is not older than the stored one, in one statement: a
// newer version first drops the peer's earlier indicators; the bundle's version, key id and
// disclosure are recorded; each item is kept as one pseudonymous indicator per peer and token; and
// the items whose token is one of the node's own tokens are counted (new cross-brand matches).
CALL () {
  // "token IS NOT NULL" (always true) lets the planner seek the (peer, token) unique index
  // instead of scanning every peer's indicators.
  MATCH (old:PrivacyIndicator {peer: $peer})
  WHERE old.token IS NOT NULL AND old.version < $version
  DETACH DELETE old
}
MERGE (b:PrivacyBundle {peer: $peer})
SET b.version = $version,
    b.keyId = $keyId,
    b.discloseIdentity = $discloseIdentity,
    b.parts = $parts,
    b.receivedAt = datetime()
WITH *
UNWIND $items AS it
MERGE (x:PrivacyIndicator {peer: $peer, token: it.token})
SET x.keyId = $keyId,
    x.version = $version,
    x.kind = it.kind,
    x.platforms = it.platforms,
    x.categories = it.categories,
    x.firstSeen = it.firstSeen,
    x.lastSeen = it.lastSeen,
    x.listings = it.listings,
    x.tlp = it.tlp,
    x.receivedAt = datetime()
WITH x
OPTIONAL MATCH (own:PrivacyOwnToken {token: x.token})
RETURN count(x) AS stored, count(own) AS matches

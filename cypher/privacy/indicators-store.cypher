// Stores a peer's pseudonymous indicators (token + coarse context), one node per peer and token.
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
RETURN count(x) AS stored

// Records the receipt for an envelope's jti unless one exists (atomic under the unique
// constraint); `created` says whether this transaction is the first to see the jti.
MERGE (r:FederationReceipt {jti: $jti})
ON CREATE SET r.receivedAt = $now, r.keepUntil = $keepUntil, r.claim = $nonce
WITH r, r.claim = $nonce AS created
REMOVE r.claim
RETURN created

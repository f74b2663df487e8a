// Replay guard for request tokens: records a jti unless it is recorded and still retained;
// `created` is true for the first caller only (atomic under the unique constraint).
MERGE (t:FederationSeenToken {jti: $jti})
ON CREATE SET t.keepUntil = $keepUntil, t.claim = $nonce
ON MATCH SET t.claim = CASE WHEN t.keepUntil <= $now THEN $nonce ELSE null END,
  t.keepUntil = CASE WHEN t.keepUntil <= $now THEN $keepUntil ELSE t.keepUntil END
WITH t, t.claim = $nonce AS created
REMOVE t.claim
RETURN coalesce(created, false) AS created

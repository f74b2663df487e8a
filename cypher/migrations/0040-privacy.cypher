// Privacy: the node's own OPRF tokens (one node per token, linked from its identifier), the
// pseudonymous indicators peers shared (one per peer and token), and each peer's latest bundle.
CREATE CONSTRAINT privacy_own_token IF NOT EXISTS
FOR (t:PrivacyOwnToken) REQUIRE t.token IS UNIQUE;
CREATE INDEX privacy_own_token_key_id IF NOT EXISTS
FOR (t:PrivacyOwnToken) ON (t.keyId);
CREATE CONSTRAINT privacy_indicator_peer_token IF NOT EXISTS
FOR (x:PrivacyIndicator) REQUIRE (x.peer, x.token) IS UNIQUE;
CREATE INDEX privacy_indicator_token IF NOT EXISTS
FOR (x:PrivacyIndicator) ON (x.token);
CREATE CONSTRAINT privacy_bundle_peer IF NOT EXISTS
FOR (b:PrivacyBundle) REQUIRE b.peer IS UNIQUE;

// Federation: the peer registry, inbox receipts and seen request tokens (one per jti), the outbox,
// and the hash-chained audit log with its single head node.
CREATE CONSTRAINT federation_peer_id IF NOT EXISTS
FOR (p:FederationPeer) REQUIRE p.id IS UNIQUE;
CREATE CONSTRAINT federation_receipt_jti IF NOT EXISTS
FOR (r:FederationReceipt) REQUIRE r.jti IS UNIQUE;
CREATE CONSTRAINT federation_seen_token_jti IF NOT EXISTS
FOR (t:FederationSeenToken) REQUIRE t.jti IS UNIQUE;
CREATE CONSTRAINT federation_outbox_id IF NOT EXISTS
FOR (o:FederationOutbox) REQUIRE o.id IS UNIQUE;
CREATE INDEX federation_outbox_due IF NOT EXISTS
FOR (o:FederationOutbox) ON (o.status, o.nextAttemptAt);
CREATE CONSTRAINT federation_audit_seq IF NOT EXISTS
FOR (a:FederationAuditEntry) REQUIRE a.seq IS UNIQUE;
CREATE CONSTRAINT federation_audit_head IF NOT EXISTS
FOR (h:FederationAuditHead) REQUIRE h.id IS UNIQUE;
CREATE INDEX federation_receipt_keep IF NOT EXISTS
FOR (r:FederationReceipt) ON (r.keepUntil);
CREATE INDEX federation_seen_token_keep IF NOT EXISTS
FOR (t:FederationSeenToken) ON (t.keepUntil);
CREATE CONSTRAINT shareable_ref IF NOT EXISTS
FOR (s:Shareable) REQUIRE s.shareRef IS UNIQUE;

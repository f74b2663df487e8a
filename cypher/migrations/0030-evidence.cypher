// Evidence custody and dossiers (issue 10): one custody entry per (item, seq), so a second appender
// racing the per-item lock can never fork a chain; dossiers by id; test purchases by order.
CREATE CONSTRAINT custody_entry_item_seq IF NOT EXISTS
FOR (c:CustodyEntry) REQUIRE (c.item, c.seq) IS UNIQUE;
CREATE CONSTRAINT dossier_id IF NOT EXISTS
FOR (d:Dossier) REQUIRE d.id IS UNIQUE;
CREATE INDEX evidence_sha256 IF NOT EXISTS
FOR (n:Evidence) ON (n.sha256);
CREATE INDEX test_purchase_order IF NOT EXISTS
FOR (n:TestPurchase) ON (n.platform, n.orderNumber);

// The infringer graph: a uniqueness constraint on every natural key (so MERGE never duplicates
// and concurrent imports lock the same node), lookup indexes, and full-text indexes for search.
//
// Every record node carries the shared label :Entity with uid = "<Type>:<natural key>" (the
// payload of its Relay global id); identifier nodes carry :Identifier with (kind, key) plus
// one label per kind.
CREATE CONSTRAINT entity_uid IF NOT EXISTS
FOR (n:Entity) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT platform_code IF NOT EXISTS
FOR (n:Platform) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT seller_platform_account IF NOT EXISTS
FOR (n:Seller) REQUIRE (n.platform, n.accountId) IS UNIQUE;
CREATE CONSTRAINT storefront_key IF NOT EXISTS
FOR (n:Storefront) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT listing_key IF NOT EXISTS
FOR (n:Listing) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT product_sku IF NOT EXISTS
FOR (n:Product) REQUIRE n.sku IS UNIQUE;
CREATE CONSTRAINT trademark_registration IF NOT EXISTS
FOR (n:Trademark) REQUIRE (n.jurisdiction, n.registrationNumber, n.class) IS UNIQUE;
CREATE CONSTRAINT customs_recordation_number IF NOT EXISTS
FOR (n:CustomsRecordation) REQUIRE (n.jurisdiction, n.number) IS UNIQUE;
CREATE CONSTRAINT factory_key IF NOT EXISTS
FOR (n:Factory) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT company_key IF NOT EXISTS
FOR (n:Company) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT person_key IF NOT EXISTS
FOR (n:Person) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT shipment_key IF NOT EXISTS
FOR (n:Shipment) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT logistics_route_key IF NOT EXISTS
FOR (n:LogisticsRoute) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT case_key IF NOT EXISTS
FOR (n:Case) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT evidence_key IF NOT EXISTS
FOR (n:Evidence) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT enforcement_action_key IF NOT EXISTS
FOR (n:EnforcementAction) REQUIRE n.key IS UNIQUE;
// Identifier nodes: one per (kind, normalized key); the per-kind label keeps each kind's key unique.
CREATE CONSTRAINT identifier_kind_key IF NOT EXISTS
FOR (n:Identifier) REQUIRE (n.kind, n.key) IS UNIQUE;
CREATE CONSTRAINT phone_key IF NOT EXISTS
FOR (n:Phone) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT email_key IF NOT EXISTS
FOR (n:Email) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT address_key IF NOT EXISTS
FOR (n:Address) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT payment_account_key IF NOT EXISTS
FOR (n:PaymentAccount) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT domain_key IF NOT EXISTS
FOR (n:Domain) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT messaging_handle_key IF NOT EXISTS
FOR (n:MessagingHandle) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT waybill_key IF NOT EXISTS
FOR (n:Waybill) REQUIRE n.key IS UNIQUE;
// Lookups the analyst screens filter and sort by.
CREATE INDEX identifier_key IF NOT EXISTS
FOR (n:Identifier) ON (n.key);
CREATE INDEX identifier_normalized IF NOT EXISTS
FOR (n:Identifier) ON (n.normalized);
CREATE INDEX entity_last_seen IF NOT EXISTS
FOR (n:Entity) ON (n.lastSeen);
CREATE INDEX seller_display_name IF NOT EXISTS
FOR (n:Seller) ON (n.displayName);
CREATE INDEX seller_business_licence IF NOT EXISTS
FOR (n:Seller) ON (n.businessLicenceNumber);
CREATE INDEX listing_platform IF NOT EXISTS
FOR (n:Listing) ON (n.platform);
CREATE INDEX listing_status IF NOT EXISTS
FOR (n:Listing) ON (n.status);
CREATE INDEX company_registration IF NOT EXISTS
FOR (n:Company) ON (n.registrationNumber);
CREATE INDEX trademark_mark IF NOT EXISTS
FOR (n:Trademark) ON (n.mark);
CREATE INDEX trademark_valid_until IF NOT EXISTS
FOR (n:Trademark) ON (n.validUntil);
CREATE INDEX customs_recordation_valid_until IF NOT EXISTS
FOR (n:CustomsRecordation) ON (n.validUntil);
CREATE INDEX enforcement_action_kind_date IF NOT EXISTS
FOR (n:EnforcementAction) ON (n.kind, n.date);
CREATE INDEX case_status IF NOT EXISTS
FOR (n:Case) ON (n.status);
// Full-text search (the exploration issue): names, titles and URLs, raw identifier text, cases.
CREATE FULLTEXT INDEX entity_names IF NOT EXISTS
FOR (n:Platform|Seller|Storefront|Product|Trademark|Factory|Company|Person)
ON EACH [n.name, n.displayName, n.legalName, n.mark, n.accountId, n.businessLicenceNumber, n.registrationNumber];
CREATE FULLTEXT INDEX listing_text IF NOT EXISTS
FOR (n:Listing|Storefront)
ON EACH [n.title, n.url, n.name];
CREATE FULLTEXT INDEX identifier_text IF NOT EXISTS
FOR (n:Identifier)
ON EACH [n.key, n.display, n.rawVariants];
CREATE FULLTEXT INDEX case_text IF NOT EXISTS
FOR (n:Case|Evidence|EnforcementAction|Shipment|LogisticsRoute)
ON EACH [n.title, n.summary, n.description, n.outcome, n.authority, n.origin, n.destination, n.carrier];

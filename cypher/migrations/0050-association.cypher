// Associations: each member's latest report per period (association role) and the latest published
// cross-brand report per association and period (brand role).
CREATE CONSTRAINT association_member_report IF NOT EXISTS
FOR (r:AssociationMemberReport) REQUIRE (r.member, r.period) IS UNIQUE;
CREATE CONSTRAINT association_received_report IF NOT EXISTS
FOR (r:AssociationReceivedReport) REQUIRE (r.association, r.period) IS UNIQUE;

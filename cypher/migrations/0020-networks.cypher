// Infringer networks: one :Network node per cluster with a stable id, members tied to it by
// IN_NETWORK, and the ids of networks merged into it kept as :NetworkAlias nodes so old links
// keep resolving.
CREATE CONSTRAINT network_id IF NOT EXISTS
FOR (n:Network) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT network_alias_id IF NOT EXISTS
FOR (a:NetworkAlias) REQUIRE a.id IS UNIQUE;
CREATE INDEX network_size IF NOT EXISTS
FOR (n:Network) ON (n.size);
CREATE INDEX network_risk IF NOT EXISTS
FOR (n:Network) ON (n.riskScore);

// The node's own bookkeeping: one meta node per graph, keyed by node id.
CREATE CONSTRAINT palisade_meta_node_id IF NOT EXISTS
FOR (m:PalisadeMeta) REQUIRE m.nodeId IS UNIQUE;

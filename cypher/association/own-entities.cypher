// Maps this brand's own tokens back onto its identifiers' entities and their local networks.
UNWIND $tokens AS token
MATCH (t:PrivacyOwnToken {token: token})<-[:TOKENIZED_AS]-(i:Identifier)
OPTIONAL MATCH (i)<--(e:Entity)
OPTIONAL MATCH (e)-[:IN_NETWORK]->(n:Network)
RETURN token, i.kind AS kind, collect(DISTINCT e.uid) AS entities, collect(DISTINCT n.id) AS networks

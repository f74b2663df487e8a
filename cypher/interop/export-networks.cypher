// Every infringer network with the tokens of its members' identifiers (its only shareable content).
MATCH (n:Network)<-[:IN_NETWORK]-(:Entity)-->(:Identifier)-[:TOKENIZED_AS]->(t:PrivacyOwnToken)
WITH n, collect(DISTINCT t.token) AS tokens
RETURN n.id AS id, tokens, coalesce(n.tlp, $defaultTlp) AS tlp
ORDER BY id
LIMIT toInteger($limit)

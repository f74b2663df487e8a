// This brand's networks as sets of its own tokens under one key (RED identifiers left out).
MATCH (n:Network)<-[:IN_NETWORK]-(:Entity)-->(i:Identifier)-[:TOKENIZED_AS]->(t:PrivacyOwnToken {keyId: $keyId})
WHERE coalesce(i.tlp, $defaultTlp) <> 'RED'
WITH n, collect(DISTINCT t.token) AS tokens
RETURN tokens
ORDER BY n.id

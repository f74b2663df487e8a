// Caches the tokens of identifiers: one token node per token, linked from its identifier.
UNWIND $rows AS r
MATCH (i:Identifier {kind: r.kind, key: r.key})
MERGE (t:PrivacyOwnToken {token: r.token})
  ON CREATE SET t.keyId = $keyId, t.kind = r.kind, t.createdAt = datetime()
MERGE (i)-[:TOKENIZED_AS]->(t)
RETURN count(t) AS stored

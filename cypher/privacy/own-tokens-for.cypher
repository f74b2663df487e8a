// The cached tokens under one key id of the given identifiers (kind + normalized key).
UNWIND $items AS it
MATCH (i:Identifier {kind: it.kind, key: it.key})-[:TOKENIZED_AS]->(t:PrivacyOwnToken {keyId: $keyId})
RETURN i.kind AS kind, i.key AS key, t.token AS token

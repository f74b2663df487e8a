// The identifier nodes with these (kind, key) pairs (exact lookup after normalization).
UNWIND $refs AS ref
MATCH (n:Identifier {kind: ref.kind, key: ref.key})
RETURN labels(n) AS labels, properties(n) AS props

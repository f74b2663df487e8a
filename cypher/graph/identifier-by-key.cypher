// The identifier node of this kind and normalized key, with its labels and properties.
MATCH (n:Identifier {kind: $kind, key: $key})
RETURN labels(n) AS labels, properties(n) AS props

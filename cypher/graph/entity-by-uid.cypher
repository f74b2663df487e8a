// The record node with this uid ("<Type>:<natural key>"), with its labels and properties.
MATCH (n:Entity {uid: $uid})
RETURN labels(n) AS labels, properties(n) AS props

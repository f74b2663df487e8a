// Drops remembered request-token jtis past their retention.
MATCH (t:FederationSeenToken)
WHERE t.keepUntil < $now
WITH t LIMIT toInteger($limit)
DELETE t
RETURN count(*) AS pruned

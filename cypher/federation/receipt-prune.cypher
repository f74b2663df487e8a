// Drops receipts past their retention (their envelopes would be refused as expired anyway).
MATCH (r:FederationReceipt)
WHERE r.keepUntil < $now
WITH r LIMIT toInteger($limit)
DETACH DELETE r
RETURN count(*) AS pruned

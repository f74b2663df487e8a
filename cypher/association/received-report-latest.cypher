// The newest association report held (for one period, or the latest period).
MATCH (r:AssociationReceivedReport)
WHERE $period IS NULL OR r.period = $period
RETURN r.association AS association, r.period AS period, r.payload AS payload
ORDER BY r.period DESC, r.version DESC
LIMIT 1

// Stores an association's report for a period, replacing an older version.
MERGE (r:AssociationReceivedReport {association: $association, period: $period})
SET r.version = $version, r.payload = $payload, r.receivedAt = datetime()
RETURN r.version AS version

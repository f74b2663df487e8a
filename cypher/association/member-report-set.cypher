// Keeps only a member's latest report for a period: the caller checked the version is newer.
MERGE (r:AssociationMemberReport {member: $member, period: $period})
SET r.version = $version, r.payload = $payload, r.receivedAt = datetime()
RETURN r.version AS version

// The version of a member's stored report for a period (none: no row).
MATCH (r:AssociationMemberReport {member: $member, period: $period})
RETURN r.version AS version

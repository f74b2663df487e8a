// Every member's latest report for a period (the aggregation's whole input).
MATCH (r:AssociationMemberReport {period: $period})
RETURN r.member AS member, r.payload AS payload
ORDER BY member

// The version of the association report this brand holds for an association and period.
MATCH (r:AssociationReceivedReport {association: $association, period: $period})
RETURN r.version AS version

// How many seizures and customs detentions match the seizures filter.
MATCH (a:EnforcementAction)
WHERE a.kind IN ['SEIZURE', 'CUSTOMS_DETENTION']
  AND ($trademarkUid IS NULL OR (a)-[:INVOLVES_MARK]->(:Trademark {uid: $trademarkUid}))
RETURN count(a) AS total

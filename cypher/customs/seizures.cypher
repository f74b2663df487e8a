// Seizures and customs detentions, newest first, with the marks they infringe (optionally only
// those involving trademark $trademarkUid).
MATCH (a:EnforcementAction)
WHERE a.kind IN ['SEIZURE', 'CUSTOMS_DETENTION']
  AND ($trademarkUid IS NULL OR (a)-[:INVOLVES_MARK]->(:Trademark {uid: $trademarkUid}))
OPTIONAL MATCH (a)-[:INVOLVES_MARK]->(t:Trademark)
WITH a, collect(t) AS marks
RETURN labels(a) AS labels, properties(a) AS props,
  [t IN marks | {labels: labels(t), props: properties(t)}] AS trademarks
ORDER BY a.date DESC, a.uid
SKIP toInteger($offset)
LIMIT toInteger($limit)

// Customs recordations whose validity ends between $today and $until (inclusive), soonest first,
// with the marks they record.
MATCH (r:CustomsRecordation)
WHERE r.validUntil >= date($today) AND r.validUntil <= date($until)
OPTIONAL MATCH (t:Trademark)-[:RECORDED_AS]->(r)
WITH r, collect(t) AS marks
RETURN labels(r) AS labels, properties(r) AS props,
  [t IN marks | {labels: labels(t), props: properties(t)}] AS trademarks
ORDER BY r.validUntil, r.uid
SKIP toInteger($offset)
LIMIT toInteger($limit)

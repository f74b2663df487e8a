// Test purchases by uid, or of a case, or of a seller, with their seller, case and evidence.
MATCH (p:TestPurchase:Entity)
WHERE ($uid IS NOT NULL AND p.uid = $uid)
   OR ($uid IS NULL AND $caseUid IS NOT NULL AND EXISTS { (p)-[:PART_OF_CASE]->(:Case {uid: $caseUid}) })
   OR ($uid IS NULL AND $sellerUid IS NOT NULL AND EXISTS { (p)-[:TARGETED]->(:Entity {uid: $sellerUid}) })
OPTIONAL MATCH (p)-[:TARGETED]->(s:Entity)
OPTIONAL MATCH (p)-[:PART_OF_CASE]->(c:Case)
OPTIONAL MATCH (e:Evidence)-[:EVIDENCE_FOR]->(p)
WITH p, s, c, collect(DISTINCT properties(e)) AS evidence
RETURN properties(p) AS props, labels(s) AS sellerLabels, properties(s) AS seller,
  properties(c) AS caseProps, evidence
ORDER BY p.date DESC, p.uid
LIMIT 500

// Records a test purchase as an EnforcementAction of kind TEST_PURCHASE (the graph model's record of
// it), linked to the seller it targeted, its case and its waybill identifier.
MATCH (s:Entity {uid: $sellerUid})
MERGE (p:Entity {uid: $uid})
  ON CREATE SET p:EnforcementAction, p:TestPurchase, p.key = $key, p.kind = 'TEST_PURCHASE',
    p.firstSeen = datetime($now), p.sources = [$source]
SET
  p.platform = $platform,
  p.orderNumber = $orderNumber,
  p.amountPaid = $amountPaid,
  p.amount = toFloat($amountPaid),
  p.currency = $currency,
  p.date = date($purchasedOn),
  p.carrier = $carrier,
  p.waybill = $waybillDisplay,
  p.lastSeen = datetime($now)
MERGE (p)-[t:TARGETED]->(s)
  ON CREATE SET t.source = $source, t.sources = [$source], t.observedAt = datetime($now),
    t.lastObservedAt = datetime($now), t.confidence = 1.0
WITH p
CALL (p) {
  MATCH (c:Case:Entity {uid: $caseUid})
  MERGE (p)-[r:PART_OF_CASE]->(c)
    ON CREATE SET r.source = $source, r.sources = [$source], r.observedAt = datetime($now),
      r.lastObservedAt = datetime($now), r.confidence = 1.0
}
CALL (p) {
  WITH p WHERE $waybillKey IS NOT NULL
  MERGE (w:Identifier {kind: 'waybill', key: $waybillKey})
    ON CREATE SET w:Waybill, w.display = $waybillDisplay, w.raw = $waybillRaw, w.rawVariants = [],
      w.normalized = $waybillNormalized, w.firstSeen = datetime($now), w.lastSeen = datetime($now),
      w.sources = [$source]
  MERGE (p)-[r:HAS_WAYBILL]->(w)
    ON CREATE SET r.source = $source, r.sources = [$source], r.observedAt = datetime($now),
      r.lastObservedAt = datetime($now), r.confidence = 1.0
}
CALL (p) {
  UNWIND $evidenceUids AS eu
  MATCH (e:Evidence:Entity {uid: eu})
  MERGE (e)-[r:EVIDENCE_FOR]->(p)
    ON CREATE SET r.source = $source, r.sources = [$source], r.observedAt = datetime($now),
      r.lastObservedAt = datetime($now), r.confidence = 1.0
}
RETURN p.uid AS uid

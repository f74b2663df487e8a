// Takes the evidence item's custody lock for this transaction and returns its chain head.
MATCH (e:Evidence:Entity {uid: $uid})
SET e.lockedBy = $nonce
REMOVE e.lockedBy
RETURN coalesce(e.custodySeq, 0) AS seq, e.custodyHash AS hash

// Takes the evidence item's write lock for this transaction (creating the node when new) and
// answers what it held before: captures and custody appends of one item run one at a time.
MERGE (e:Entity {uid: $uid})
  ON CREATE SET e:Evidence, e.key = $key, e.createdIn = $nonce
SET e.lockedBy = $nonce
REMOVE e.lockedBy
RETURN e.createdIn = $nonce AS created, e.sha256 AS sha256, e.statementJws AS statementJws,
  coalesce(e.custodySeq, 0) AS custodySeq, e.custodyHash AS custodyHash

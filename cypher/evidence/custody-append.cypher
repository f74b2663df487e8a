// Appends one custody entry to an item's chain and moves the item's head to it.
MATCH (e:Evidence:Entity {uid: $item})
CREATE (c:CustodyEntry {item: $item, seq: toInteger($seq), at: $at, action: $action, actor: $actor,
  detail: $detail, prevHash: $prevHash, hash: $hash})
SET e.custodySeq = toInteger($seq), e.custodyHash = $hash
RETURN c.seq AS seq

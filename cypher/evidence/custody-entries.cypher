// An item's custody entries in chain order, with the head kept on the item.
OPTIONAL MATCH (e:Evidence:Entity {uid: $item})
OPTIONAL MATCH (c:CustodyEntry {item: $item})
WITH e, c ORDER BY c.seq
RETURN e.custodySeq AS headSeq, e.custodyHash AS headHash,
  [x IN collect(c) | properties(x)] AS entries

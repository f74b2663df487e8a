// The record node an evidence item is meant to prove (listing, seller, shipment, case, …), if any.
MATCH (n:Entity {uid: $uid})
RETURN n.uid AS uid, labels(n) AS labels

// The listings of a network's sellers (its damages are computed from their sales).
MATCH (:Network {id: $id})<-[:IN_NETWORK]-(:Seller)-[:LISTS]->(l:Listing)
WITH DISTINCT l
RETURN l.uid AS uid, l.url AS url, l.title AS title, l.unitsSold AS unitsSold, l.price AS price, l.currency AS currency
ORDER BY l.uid

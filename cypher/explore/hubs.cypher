// Factories and identifiers of the given kinds ranked by the distinct sellers tied to them
// (degree), overall or only counting the sellers of network $network; with those sellers'
// listings and a sampled two-step reach (sellers sharing a non-hub identifier with them).
CALL () {
  MATCH (h:Identifier)
  WHERE $network IS NULL AND h.kind IN $kinds
  RETURN h
  UNION
  MATCH (h:Factory)
  WHERE $network IS NULL AND $factories
  RETURN h
  UNION
  MATCH (:Network {id: $network})<-[:IN_NETWORK]-(:Seller)--(h)
  WHERE (h:Identifier AND h.kind IN $kinds) OR (h:Factory AND $factories)
  RETURN h
}
CALL (h) {
  MATCH (h)--(s:Seller)
  WHERE $network IS NULL OR (s)-[:IN_NETWORK]->(:Network {id: $network})
  RETURN count(s) AS sellers
}
WITH h, sellers
WHERE sellers > 0
ORDER BY sellers DESC, coalesce(h.uid, h.kind + ':' + h.key)
SKIP toInteger($offset)
LIMIT toInteger($limit)
CALL (h) {
  MATCH (h)--(s:Seller)-[:LISTS]->(l:Listing)
  WHERE $network IS NULL OR (s)-[:IN_NETWORK]->(:Network {id: $network})
  RETURN count(DISTINCT l) AS listings
}
CALL (h) {
  MATCH (h)--(s:Seller)
  WHERE $network IS NULL OR (s)-[:IN_NETWORK]->(:Network {id: $network})
  WITH s
  LIMIT toInteger($sample)
  CALL (s) {
    RETURN s AS other
    UNION
    MATCH (s)-->(c:Identifier)<--(other:Seller)
    WHERE COUNT { (c)--() } <= $maxDegree
    RETURN other
  }
  RETURN count(DISTINCT other) AS reach
}
RETURN labels(h) AS labels, properties(h) AS props, sellers, listings, reach
ORDER BY sellers DESC, reach DESC, coalesce(h.uid, h.kind + ':' + h.key)

// How many factories and identifiers of the given kinds have at least one seller (overall or
// within network $network).
CALL () {
  MATCH (h:Identifier)
  WHERE $network IS NULL AND h.kind IN $kinds AND EXISTS { (h)--(:Seller) }
  RETURN h
  UNION
  MATCH (h:Factory)
  WHERE $network IS NULL AND $factories AND EXISTS { (h)--(:Seller) }
  RETURN h
  UNION
  MATCH (:Network {id: $network})<-[:IN_NETWORK]-(:Seller)--(h)
  WHERE (h:Identifier AND h.kind IN $kinds) OR (h:Factory AND $factories)
  RETURN h
}
RETURN count(h) AS total

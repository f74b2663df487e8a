// The listings whose sales a case's damages are computed from: listings in the case, and the
// listings of sellers and storefronts in it or targeted by its enforcement actions.
MATCH (c:Case {uid: $uid})
CALL (c) {
  MATCH (l:Listing)-[:PART_OF_CASE]->(c)
  RETURN l
  UNION
  MATCH (s:Seller|Storefront)-[:PART_OF_CASE]->(c)
  MATCH (s)-[:LISTS]->(l:Listing)
  RETURN l
  UNION
  MATCH (c)<-[:PART_OF_CASE]-(:EnforcementAction)-[:TARGETED]->(t)
  MATCH (t)-[:LISTS]->(l:Listing)
  RETURN l
  UNION
  MATCH (c)<-[:PART_OF_CASE]-(:EnforcementAction)-[:TARGETED]->(l:Listing)
  RETURN l
}
RETURN l.uid AS uid, l.url AS url, l.title AS title, l.unitsSold AS unitsSold, l.price AS price, l.currency AS currency
ORDER BY l.uid

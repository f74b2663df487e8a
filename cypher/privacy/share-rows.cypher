// One page of the node's own tokens under a key id with the context a bundle may carry: the
// platforms of the records using the identifier, the categories of the products their listings
// copy, how many listings, first/last seen and the identifier's TLP (the builder coarsens all).
MATCH (i:Identifier)-[:TOKENIZED_AS]->(t:PrivacyOwnToken {keyId: $keyId})
WITH i, t
ORDER BY t.token
SKIP toInteger($offset)
LIMIT toInteger($limit)
CALL (i) {
  OPTIONAL MATCH (i)<--(e:Entity)
  OPTIONAL MATCH (e)-[:LISTS]->(l:Listing)
  OPTIONAL MATCH (l)-[:COPIES]->(p:Product)
  RETURN
    collect(DISTINCT coalesce(e.platform, l.platform)) AS platforms,
    collect(DISTINCT p.category) AS categories,
    count(DISTINCT l) AS listings
}
RETURN
  i.kind AS kind,
  t.token AS token,
  platforms,
  categories,
  toString(i.firstSeen) AS firstSeen,
  toString(i.lastSeen) AS lastSeen,
  listings,
  i.tlp AS tlp

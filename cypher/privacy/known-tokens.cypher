// Partner query: which of these tokens belong to the node's own identifiers, with the same coarse
// context a bundle would carry.
UNWIND $tokens AS tok
MATCH (t:PrivacyOwnToken {token: tok})<-[:TOKENIZED_AS]-(i:Identifier)
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
  coalesce(i.tlp, $defaultTlp) AS tlp

// The node's own tokenized identifiers with the coarse context a STIX export may carry (the mapper
// coarsens it further); the raw normalized key only when a local analyst export asks for it.
MATCH (i:Identifier)-[:TOKENIZED_AS]->(t:PrivacyOwnToken)
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
  coalesce(i.tlp, $defaultTlp) AS tlp,
  CASE WHEN $includeRaw THEN i.key ELSE null END AS raw
ORDER BY token
LIMIT toInteger($limit)

// Recomputes what a network's list row and risk score need: size, sellers, platforms, first/last
// seen, cases and enforcement actions against members, takedowns followed by activity, shared
// factories.
UNWIND $ids AS id
MATCH (net:Network {id: id})
CALL (net) {
  MATCH (m)-[:IN_NETWORK]->(net)
  RETURN
    count(m) AS size,
    count(CASE WHEN m:Seller THEN 1 END) AS sellers,
    [p IN collect(DISTINCT m.platform) WHERE p IS NOT NULL] AS platforms,
    min(m.firstSeen) AS firstSeen,
    max(m.lastSeen) AS lastSeen
}
CALL (net) {
  OPTIONAL MATCH (net)<-[:IN_NETWORK]-()-[:PART_OF_CASE]->(c:Case)
  RETURN count(DISTINCT c) AS cases
}
CALL (net) {
  OPTIONAL MATCH (net)<-[:IN_NETWORK]-(:Seller)-[:LISTS]->(l:Listing)
  RETURN count(DISTINCT l) AS listings
}
CALL (net) {
  OPTIONAL MATCH (net)<-[:IN_NETWORK]-(t)<-[:TARGETED]-(a:EnforcementAction)
  RETURN
    count(DISTINCT a) AS actions,
    min(CASE WHEN a.kind = 'TAKEDOWN' THEN a.date END) AS firstTakedown
}
CALL (net, firstTakedown) {
  OPTIONAL MATCH (net)<-[:IN_NETWORK]-(s:Seller)
  WHERE firstTakedown IS NOT NULL AND s.lastSeen > datetime({date: firstTakedown})
  RETURN count(s) AS activeAfterTakedown
}
CALL (net) {
  OPTIONAL MATCH (net)<-[:IN_NETWORK]-(f:Factory)<-[:SUPPLIED_BY]-(s:Seller)-[:IN_NETWORK]->(net)
  WITH f, count(DISTINCT s) AS supplied
  RETURN count(CASE WHEN supplied >= 2 THEN f END) AS sharedFactories
}
SET
  net.size = size,
  net.sellers = sellers,
  net.platforms = platforms,
  net.firstSeen = firstSeen,
  net.lastSeen = lastSeen,
  net.cases = cases,
  net.listings = listings,
  net.actions = actions,
  net.activeAfterTakedown = activeAfterTakedown,
  net.sharedFactories = sharedFactories
RETURN
  net.id AS id,
  size,
  sellers,
  size(platforms) AS platformCount,
  cases,
  actions,
  activeAfterTakedown,
  sharedFactories

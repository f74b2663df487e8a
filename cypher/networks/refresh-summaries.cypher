// Recomputes what a network's list row and risk score need: size, sellers, platforms, first/last
// seen, cases and enforcement actions against members, takedowns followed by activity, shared
// factories; and stores the risk score, so that networks can be ordered by it. The score is the
// sum of the reasons of src/networks/risk.ts (scoreRisk), with its weights passed as $weights; an
// integration test holds the two to the same result on every network.
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
WITH net, size, sellers, platforms, firstSeen, lastSeen, cases, listings, actions,
  activeAfterTakedown, sharedFactories, $weights AS w
WITH net, size, sellers, platforms, firstSeen, lastSeen, cases, listings, actions,
  activeAfterTakedown, sharedFactories,
  [
    CASE WHEN sellers <= 1 THEN 0
      WHEN w.perExtraSeller * (sellers - 1) > w.sizeCap THEN w.sizeCap
      ELSE w.perExtraSeller * (sellers - 1) END,
    CASE WHEN size(platforms) <= 1 THEN 0
      WHEN w.perExtraPlatform * (size(platforms) - 1) > w.platformsCap THEN w.platformsCap
      ELSE w.perExtraPlatform * (size(platforms) - 1) END,
    CASE WHEN w.perAction * actions > w.enforcementCap THEN w.enforcementCap
      ELSE w.perAction * actions END,
    CASE WHEN activeAfterTakedown > 0 THEN w.recidivism ELSE 0 END,
    CASE WHEN sharedFactories > 0 THEN w.sharedFactory ELSE 0 END,
    CASE WHEN cases > 0 THEN w.cases ELSE 0 END
  ] AS reasons
WITH *, reduce(total = 0, r IN reasons | total + r) AS points
SET
  net.riskScore = CASE WHEN points > 100 THEN 100 ELSE points END,
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

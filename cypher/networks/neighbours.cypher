// One step of the link graph from each given member: the network it is in, and every member it is
// linked to with that member's network. Links run through an identifier of a linking kind (used
// directly or by a shipment the member sent) or a logistics route, unless the connector is
// excluded or a hub (flagged, or more than $hubLimit members: only $cap are read), and through
// party relations. Every given member answers one row, with no others when it has no links. A
// change's own uids can be given as they are: a shipment stands for the members that sent it (as in
// seed-members) and other records are passed over, so the rows also name the change's members.
// Each row also carries what the maintainer needs about the networks it names (creation time,
// members counted from the relationships, sellers as last stored), so growth needs no statement of
// its own.
UNWIND $uids AS uid
MATCH (x:Entity {uid: uid})
CALL (x) {
  WITH x
  WHERE x:Seller OR x:Factory OR x:Company OR x:Person
  RETURN x AS m
  UNION
  WITH x
  MATCH (x:Shipment)-[:SHIPPED_BY]->(m:Seller|Factory|Company|Person)
  RETURN m
}
WITH DISTINCT m
OPTIONAL CALL (m) {
  CALL (m) {
    MATCH (m)-->(c:Identifier)
    WHERE c.kind IN $kinds
    RETURN c
    UNION
    MATCH (m)<-[:SHIPPED_BY]-(:Shipment)-[:HAS_WAYBILL|SENT_FROM]->(c:Identifier)
    WHERE c.kind IN $kinds
    RETURN c
    UNION
    MATCH (m)<-[:SHIPPED_BY]-(:Shipment)-[:ALONG]->(c:LogisticsRoute)
    WHERE $routes
    RETURN c
  }
  WITH c
  WHERE c.networkHub IS NULL
    AND NOT (c:Identifier AND c.kind + ':' + c.key IN $excluded)
    // Two members need two incoming relationships: most identifiers are nobody else's.
    AND COUNT { (c)<--() } >= 2
  CALL (c) {
    CALL (c) {
      MATCH (c)<--(o:Seller|Factory|Company|Person)
      RETURN o
      UNION
      MATCH (c)<-[:HAS_WAYBILL|SENT_FROM|ALONG]-(:Shipment)-[:SHIPPED_BY]->(o:Seller|Factory|Company|Person)
      RETURN o
    }
    RETURN o
    LIMIT toInteger($cap)
  }
  WITH c, collect(o) AS linked
  WHERE size(linked) <= $hubLimit
  UNWIND linked AS o
  RETURN o
  UNION
  MATCH (m)-[:SUPPLIED_BY|OPERATES|OWNS|OFFICER_OF|EMPLOYED_BY|AFFILIATED_WITH]-(o:Seller|Factory|Company|Person)
  WHERE $parties
  RETURN o
}
WITH m, [x IN collect(DISTINCT o) WHERE x <> m] AS others
WITH m.uid AS uid, head([(m)-[:IN_NETWORK]->(n:Network) | n]) AS own,
  [x IN others | {member: x, net: head([(x)-[:IN_NETWORK]->(n:Network) | n])}] AS linked
RETURN
  uid AS member,
  own.id AS network,
  [l IN linked | {uid: l.member.uid, network: l.net.id}] AS others,
  [n IN [own] + [l IN linked | l.net] WHERE n IS NOT NULL | {
    id: n.id,
    createdAt: toString(n.createdAt),
    size: COUNT { (n)<-[:IN_NETWORK]-() },
    sellers: coalesce(n.sellers, 0)
  }] AS networks

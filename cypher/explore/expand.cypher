// The neighbourhood of one node (a record by uid or an identifier by kind + key), hop by hop up
// to $depth (at most 4), bounded so that its cost follows the budget, not the degrees: each node
// yields at most $perNode unseen neighbours, each hop at most $hopCap rows, and nodes with more
// than $hubDegree relationships are drawn but not expanded (the start node always is). A
// 50 000-seller hub is therefore read only as far as the budget needs. Answers the nodes with
// their depth and degree, the relationships drawn, and whether a cap cut the expansion short.
CALL () {
  MATCH (n:Entity {uid: $uid}) RETURN n
  UNION
  MATCH (n:Identifier {kind: $kind, key: $key}) RETURN n
}
WITH [[n]] AS levels, [n] AS visited, [] AS rels, false AS truncated
// hop 1
CALL (levels, visited) {
  WITH levels[size(levels) - 1] AS frontier
  WHERE size(levels) <= $depth AND size(visited) < $budget
  UNWIND frontier AS f
  WITH f
  WHERE size(levels) = 1 OR $expandHubs OR COUNT { (f)--() } <= $hubDegree
  CALL (f, visited) {
    MATCH (f)-[r]-(m)
    WHERE (m:Entity OR m:Identifier)
      AND ($types IS NULL OR type(r) IN $types)
      AND ($kinds IS NULL OR NOT m:Identifier OR m.kind IN $kinds)
      AND NOT m IN visited
    RETURN r, m
    LIMIT toInteger($perNode)
  }
  WITH r, m
  LIMIT toInteger($hopCap)
  RETURN collect(r) AS hopRels, collect(DISTINCT m) AS hopNodes, count(*) AS hopRows
}
WITH levels, visited, rels, truncated, hopRels, hopNodes, hopRows, $budget - size(visited) AS remaining
WITH
  levels + [hopNodes[0..remaining]] AS levels,
  visited + hopNodes[0..remaining] AS visited,
  hopRels, hopNodes, remaining, rels,
  truncated OR hopRows >= $hopCap OR size(hopNodes) > remaining AS truncated
WITH levels, visited, truncated,
  rels + CASE WHEN size(hopNodes) > remaining
    THEN [r IN hopRels WHERE startNode(r) IN visited AND endNode(r) IN visited]
    ELSE hopRels END AS rels
// hop 2
CALL (levels, visited) {
  WITH levels[size(levels) - 1] AS frontier
  WHERE size(levels) <= $depth AND size(visited) < $budget
  UNWIND frontier AS f
  WITH f
  WHERE size(levels) = 1 OR $expandHubs OR COUNT { (f)--() } <= $hubDegree
  CALL (f, visited) {
    MATCH (f)-[r]-(m)
    WHERE (m:Entity OR m:Identifier)
      AND ($types IS NULL OR type(r) IN $types)
      AND ($kinds IS NULL OR NOT m:Identifier OR m.kind IN $kinds)
      AND NOT m IN visited
    RETURN r, m
    LIMIT toInteger($perNode)
  }
  WITH r, m
  LIMIT toInteger($hopCap)
  RETURN collect(r) AS hopRels, collect(DISTINCT m) AS hopNodes, count(*) AS hopRows
}
WITH levels, visited, rels, truncated, hopRels, hopNodes, hopRows, $budget - size(visited) AS remaining
WITH
  levels + [hopNodes[0..remaining]] AS levels,
  visited + hopNodes[0..remaining] AS visited,
  hopRels, hopNodes, remaining, rels,
  truncated OR hopRows >= $hopCap OR size(hopNodes) > remaining AS truncated
WITH levels, visited, truncated,
  rels + CASE WHEN size(hopNodes) > remaining
    THEN [r IN hopRels WHERE startNode(r) IN visited AND endNode(r) IN visited]
    ELSE hopRels END AS rels
// hop 3
CALL (levels, visited) {
  WITH levels[size(levels) - 1] AS frontier
  WHERE size(levels) <= $depth AND size(visited) < $budget
  UNWIND frontier AS f
  WITH f
  WHERE size(levels) = 1 OR $expandHubs OR COUNT { (f)--() } <= $hubDegree
  CALL (f, visited) {
    MATCH (f)-[r]-(m)
    WHERE (m:Entity OR m:Identifier)
      AND ($types IS NULL OR type(r) IN $types)
      AND ($kinds IS NULL OR NOT m:Identifier OR m.kind IN $kinds)
      AND NOT m IN visited
    RETURN r, m
    LIMIT toInteger($perNode)
  }
  WITH r, m
  LIMIT toInteger($hopCap)
  RETURN collect(r) AS hopRels, collect(DISTINCT m) AS hopNodes, count(*) AS hopRows
}
WITH levels, visited, rels, truncated, hopRels, hopNodes, hopRows, $budget - size(visited) AS remaining
WITH
  levels + [hopNodes[0..remaining]] AS levels,
  visited + hopNodes[0..remaining] AS visited,
  hopRels, hopNodes, remaining, rels,
  truncated OR hopRows >= $hopCap OR size(hopNodes) > remaining AS truncated
WITH levels, visited, truncated,
  rels + CASE WHEN size(hopNodes) > remaining
    THEN [r IN hopRels WHERE startNode(r) IN visited AND endNode(r) IN visited]
    ELSE hopRels END AS rels
// hop 4
CALL (levels, visited) {
  WITH levels[size(levels) - 1] AS frontier
  WHERE size(levels) <= $depth AND size(visited) < $budget
  UNWIND frontier AS f
  WITH f
  WHERE size(levels) = 1 OR $expandHubs OR COUNT { (f)--() } <= $hubDegree
  CALL (f, visited) {
    MATCH (f)-[r]-(m)
    WHERE (m:Entity OR m:Identifier)
      AND ($types IS NULL OR type(r) IN $types)
      AND ($kinds IS NULL OR NOT m:Identifier OR m.kind IN $kinds)
      AND NOT m IN visited
    RETURN r, m
    LIMIT toInteger($perNode)
  }
  WITH r, m
  LIMIT toInteger($hopCap)
  RETURN collect(r) AS hopRels, collect(DISTINCT m) AS hopNodes, count(*) AS hopRows
}
WITH levels, visited, rels, truncated, hopRels, hopNodes, hopRows, $budget - size(visited) AS remaining
WITH
  levels + [hopNodes[0..remaining]] AS levels,
  visited + hopNodes[0..remaining] AS visited,
  hopRels, hopNodes, remaining, rels,
  truncated OR hopRows >= $hopCap OR size(hopNodes) > remaining AS truncated
WITH levels, visited, truncated,
  rels + CASE WHEN size(hopNodes) > remaining
    THEN [r IN hopRels WHERE startNode(r) IN visited AND endNode(r) IN visited]
    ELSE hopRels END AS rels
CALL (levels) {
  UNWIND range(0, size(levels) - 1) AS d
  UNWIND levels[d] AS x
  RETURN collect({
    element: elementId(x),
    labels: labels(x),
    props: properties(x),
    depth: d,
    degree: COUNT { (x)--() }
  }) AS nodes
}
RETURN
  nodes,
  [r IN rels | {id: elementId(r), type: type(r), source: elementId(startNode(r)), target: elementId(endNode(r))}] AS edges,
  truncated

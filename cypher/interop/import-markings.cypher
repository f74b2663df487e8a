// Keeps the TLP of imported STIX objects on the nodes they stored, in the import's transaction. A
// node known only from this import's authors (its sources are all among $marks' sources) and not yet
// marked takes their level; any other node keeps the stricter of its own level (or the node
// default) and theirs, so an import can tighten what others said but never loosen it. Levels rank
// CLEAR < GREEN < AMBER < AMBER+STRICT < RED; anything unknown reads as RED.
UNWIND $marks AS m
OPTIONAL MATCH (e:Entity {uid: m.uid})
OPTIONAL MATCH (i:Identifier {kind: m.kind, key: m.key})
WITH m, coalesce(e, i) AS n
WHERE n IS NOT NULL
WITH m, n,
  all(s IN coalesce(n.sources, []) WHERE s IN m.sources) AS ours,
  CASE coalesce(n.tlp, $defaultTlp)
    WHEN 'CLEAR' THEN 0 WHEN 'GREEN' THEN 1 WHEN 'AMBER' THEN 2 WHEN 'AMBER+STRICT' THEN 3 ELSE 4
  END AS hadRank,
  CASE m.tlp
    WHEN 'CLEAR' THEN 0 WHEN 'GREEN' THEN 1 WHEN 'AMBER' THEN 2 WHEN 'AMBER+STRICT' THEN 3 ELSE 4
  END AS newRank
WITH n,
  CASE
    WHEN ours AND n.tlp IS NULL THEN m.tlp
    WHEN newRank > hadRank THEN m.tlp
    ELSE n.tlp
  END AS tlp
WHERE tlp IS NOT NULL AND (n.tlp IS NULL OR n.tlp <> tlp)
SET n.tlp = tlp
RETURN count(n) AS marked

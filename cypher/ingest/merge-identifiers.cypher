// Merges identifier nodes of one kind ({{Label}}; run once per kind in a batch) by normalized
// key and answers per record how many it created and how many existed. Each raw spelling is
// kept (up to $maxRawVariants) so search finds "138 0013 8000" as well as "+86 138-0013-8000";
// unnormalizable values keep a raw key and normalized = false.
CYPHER replan=skip
UNWIND $identifiers AS i
OPTIONAL MATCH (old:{{Label}} {key: i.key})
WITH i, old IS NULL AS created
MERGE (n:Identifier:{{Label}} {kind: i.kind, key: i.key})
  ON CREATE SET
    n += i.props,
    n.display = i.display,
    n.raw = i.raws[0],
    n.rawVariants = i.raws[0..$maxRawVariants],
    n.normalized = i.normalized,
    n.normalizationError = i.reason,
    n.firstSeen = i.firstSeen,
    n.lastSeen = i.lastSeen,
    n.sources = i.sources
WITH n, i, created
CALL (n, i, created) {
  WITH n, i WHERE NOT created
  FOREACH (k IN keys(i.props) | SET n[k] = coalesce(n[k], i.props[k]))
  SET
    n.rawVariants = n.rawVariants +
      [r IN i.raws WHERE NOT r IN n.rawVariants][0..CASE
        WHEN size(n.rawVariants) >= $maxRawVariants THEN 0
        ELSE $maxRawVariants - size(n.rawVariants) END],
    n.firstSeen = CASE WHEN i.firstSeen < n.firstSeen THEN i.firstSeen ELSE n.firstSeen END,
    n.lastSeen = CASE WHEN i.lastSeen > n.lastSeen THEN i.lastSeen ELSE n.lastSeen END,
    n.sources = n.sources + [s IN i.sources WHERE NOT s IN n.sources]
}
RETURN
  i.rec AS rec,
  sum(CASE WHEN created THEN 1 ELSE 0 END) AS created,
  sum(CASE WHEN created THEN 0 ELSE 1 END) AS merged

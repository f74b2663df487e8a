// Enforcement actions dated in [$from, $to) with the facts an aggregate needs: kind, jurisdiction,
// the outcome text (classified by the builder, never sent), counts, target platforms/categories.
MATCH (a:EnforcementAction)
WHERE a.date IS NOT NULL AND toString(a.date) >= $from AND toString(a.date) < $to
  AND coalesce(a.tlp, $defaultTlp) <> 'RED'
OPTIONAL MATCH (a)-[:TARGETED]->(m)
OPTIONAL MATCH (m)-[:LISTS]->(:Listing)-[:COPIES]->(p:Product)
RETURN
  a.kind AS kind,
  a.jurisdiction AS jurisdiction,
  a.outcome AS outcome,
  a.itemsSeized AS itemsSeized,
  a.arrests AS arrests,
  collect(DISTINCT m.platform) AS platforms,
  collect(DISTINCT p.category) AS categories

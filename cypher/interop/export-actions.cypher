// Enforcement actions with coarse facts only (kind, day, jurisdiction, counts), the platforms of
// their targets and the tokens of their targets' identifiers; never authorities, places or text.
MATCH (a:EnforcementAction)
OPTIONAL MATCH (a)-[:TARGETED]->(m)
OPTIONAL MATCH (m)-->(:Identifier)-[:TOKENIZED_AS]->(t:PrivacyOwnToken)
WITH a, collect(DISTINCT m.platform) AS platforms, collect(DISTINCT t.token) AS tokens
RETURN
  a.key AS key,
  a.kind AS kind,
  toString(a.date) AS date,
  a.jurisdiction AS jurisdiction,
  platforms,
  a.itemsSeized AS itemsSeized,
  a.arrests AS arrests,
  tokens,
  coalesce(a.tlp, $defaultTlp) AS tlp
ORDER BY key
LIMIT toInteger($limit)

// One page of networks, largest / riskiest / most recently active first, optionally only those
// of at least $minSize members or active on $platform.
MATCH (n:Network)
WHERE ($minSize IS NULL OR n.size >= $minSize)
  AND ($platform IS NULL OR $platform IN n.platforms)
RETURN properties(n) AS props
ORDER BY
  CASE $orderBy WHEN 'SIZE' THEN n.size WHEN 'RISK' THEN n.riskScore END DESC,
  CASE $orderBy WHEN 'LAST_SEEN' THEN n.lastSeen END DESC,
  n.size DESC,
  n.id
SKIP toInteger($offset)
LIMIT toInteger($limit)

// How many networks match the list filters.
MATCH (n:Network)
WHERE ($minSize IS NULL OR n.size >= $minSize)
  AND ($platform IS NULL OR $platform IN n.platforms)
RETURN count(n) AS total

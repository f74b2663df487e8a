// One page of trademarks (optionally only marks containing $mark), with the customs recordation
// valid longest, ordered by mark.
MATCH (t:Trademark)
WHERE $mark IS NULL OR toLower(t.mark) CONTAINS toLower($mark)
RETURN labels(t) AS labels, properties(t) AS props
ORDER BY t.mark, t.uid
SKIP toInteger($offset)
LIMIT toInteger($limit)

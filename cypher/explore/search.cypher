// One page of full-text matches over names, titles, URLs, identifier text and case text, best
// first, optionally only some node labels and one platform.
CALL () {
  CALL db.index.fulltext.queryNodes('entity_names', $query) YIELD node, score RETURN node, score
  UNION ALL
  CALL db.index.fulltext.queryNodes('listing_text', $query) YIELD node, score RETURN node, score
  UNION ALL
  CALL db.index.fulltext.queryNodes('identifier_text', $query) YIELD node, score RETURN node, score
  UNION ALL
  CALL db.index.fulltext.queryNodes('case_text', $query) YIELD node, score RETURN node, score
}
WITH node, max(score) AS score
WHERE ($labels IS NULL OR any(l IN labels(node) WHERE l IN $labels))
  AND ($platform IS NULL OR node.platform = $platform OR node.code = $platform)
RETURN labels(node) AS labels, properties(node) AS props, score
ORDER BY score DESC, coalesce(node.uid, node.kind + ':' + node.key)
SKIP toInteger($offset)
LIMIT toInteger($limit)

// How many trademarks match the trademarks filter.
MATCH (t:Trademark)
WHERE $mark IS NULL OR toLower(t.mark) CONTAINS toLower($mark)
RETURN count(t) AS total

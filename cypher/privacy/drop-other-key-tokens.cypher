// Removes the node's own tokens made under any key other than the current one (after re-tokenizing).
MATCH (t:PrivacyOwnToken)
WHERE t.keyId <> $keyId
WITH t LIMIT 10000
DETACH DELETE t
RETURN count(*) AS dropped

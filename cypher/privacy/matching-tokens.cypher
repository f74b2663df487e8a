// How many of these tokens are tokens of the node's own identifiers (new cross-brand matches).
MATCH (t:PrivacyOwnToken)
WHERE t.token IN $tokens
RETURN count(t) AS matches

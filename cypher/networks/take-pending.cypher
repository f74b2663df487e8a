// Takes (answers and deletes) the oldest queued changes, at most $limit of them.
MATCH (p:NetworkPending)
WHERE p.at IS NOT NULL
WITH p
ORDER BY p.at
LIMIT toInteger($limit)
WITH p, p {.uids, .identifierKinds, .identifierKeys, .ends} AS change
DELETE p
RETURN change.uids AS uids, change.identifierKinds AS identifierKinds,
  change.identifierKeys AS identifierKeys, change.ends AS ends

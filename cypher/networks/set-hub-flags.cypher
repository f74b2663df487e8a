// Flags the connectors that are hubs and unflags those that no longer are (the full recompute
// passes only the differences).
CALL () {
  UNWIND $clear AS cid
  MATCH (c)
  WHERE elementId(c) = cid
  REMOVE c.networkHub
}
UNWIND $set AS cid
MATCH (c)
WHERE elementId(c) = cid
SET c.networkHub = true
RETURN count(c) AS flagged

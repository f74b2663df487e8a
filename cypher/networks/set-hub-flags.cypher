// Marks exactly the given connectors as hubs and clears the flag everywhere else (full recompute).
CALL () {
  MATCH (c:Identifier|LogisticsRoute)
  WHERE c.networkHub = true AND NOT elementId(c) IN $hubs
  REMOVE c.networkHub
}
UNWIND $hubs AS cid
MATCH (c)
WHERE elementId(c) = cid
SET c.networkHub = true
RETURN count(c) AS flagged

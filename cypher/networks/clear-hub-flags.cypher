// Clears the hub flag of connectors that have fallen back to $hubLimit members or fewer (after a
// retraction), so that a later growth past the limit is noticed again.
UNWIND $connectors AS cid
MATCH (c)
WHERE elementId(c) = cid AND c.networkHub = true
REMOVE c.networkHub

// The latest bundle version stored from a peer (none yet: no row).
MATCH (b:PrivacyBundle {peer: $peer})
RETURN b.version AS version

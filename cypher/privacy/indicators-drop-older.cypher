// Drops a peer's indicators from bundle versions older than the one arriving.
MATCH (x:PrivacyIndicator {peer: $peer})
WHERE x.version < $version
DETACH DELETE x
RETURN count(*) AS dropped

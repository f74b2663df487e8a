// Records a peer's bundle version, key id and whether it lets analysts see its name.
MERGE (b:PrivacyBundle {peer: $peer})
SET b.version = $version,
    b.keyId = $keyId,
    b.discloseIdentity = $discloseIdentity,
    b.parts = $parts,
    b.receivedAt = datetime()
RETURN b.version AS version

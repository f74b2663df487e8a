// Records that a migration was applied.
MERGE (m:PalisadeMigration {id: $id})
ON CREATE SET m.checksum = $checksum, m.appliedAt = datetime()
RETURN m.id AS id

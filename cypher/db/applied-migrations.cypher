// Which migrations this database has applied, with their checksums.
MATCH (m:PalisadeMigration)
RETURN m.id AS id, m.checksum AS checksum
ORDER BY m.id

// Makes migration records unique, before any migration runs.
CREATE CONSTRAINT palisade_migration_id IF NOT EXISTS
FOR (m:PalisadeMigration) REQUIRE m.id IS UNIQUE

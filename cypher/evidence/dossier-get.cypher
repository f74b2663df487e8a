// One exported dossier's record.
MATCH (d:Dossier {id: $id})
RETURN d.id AS id, d.file AS file, d.sha256 AS sha256, d.size AS size, d.tlp AS tlp

// Records an exported dossier (what, by whom, its hash) so its download can be found and audited.
CREATE (d:Dossier {id: $id, subjectKind: $subjectKind, subjectUid: $subjectUid, tlp: $tlp,
  createdAt: datetime($createdAt), createdBy: $createdBy, sha256: $sha256, size: toInteger($size),
  file: $file, evidence: toInteger($evidence)})
RETURN d.id AS id

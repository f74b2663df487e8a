// Records a captured file on its evidence node (locked by evidence-lock in the same transaction).
// The file facts (hash, size, types, statement) are written once; descriptive fields fill gaps.
MATCH (e:Evidence:Entity {uid: $uid})
SET
  e.sha256 = coalesce(e.sha256, $sha256),
  e.size = coalesce(e.size, $size),
  e.mediaType = coalesce(e.mediaType, $mediaType),
  e.declaredMediaType = coalesce(e.declaredMediaType, $declaredMediaType),
  e.filename = coalesce(e.filename, $filename),
  e.storageUri = coalesce(e.storageUri, $storageUri),
  e.statementJws = coalesce(e.statementJws, $statementJws),
  e.statementKid = coalesce(e.statementKid, $statementKid),
  e.tsaToken = coalesce(e.tsaToken, $tsaToken),
  e.tsaGenTime = coalesce(e.tsaGenTime, $tsaGenTime),
  e.tsaError = CASE WHEN e.tsaToken IS NULL THEN $tsaError ELSE e.tsaError END,
  e.capturedAt = coalesce(e.capturedAt, datetime($capturedAt)),
  e.capturedBy = coalesce(e.capturedBy, $capturedBy),
  e.sourceUrl = coalesce(e.sourceUrl, $sourceUrl),
  e.kind = coalesce(e.kind, $kind),
  e.title = coalesce(e.title, $title),
  e.description = coalesce(e.description, $description),
  e.tlp = coalesce(e.tlp, $tlp),
  e.firstSeen = coalesce(e.firstSeen, datetime($now)),
  e.lastSeen = datetime($now),
  e.sources = coalesce(e.sources, []) + [s IN [$source] WHERE NOT s IN coalesce(e.sources, [])]
RETURN properties(e) AS props

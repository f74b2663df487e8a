// Changes the descriptive metadata of an evidence item (never its file facts or statement).
MATCH (e:Evidence:Entity {uid: $uid})
SET
  e.title = CASE WHEN $title IS NULL THEN e.title ELSE $title END,
  e.description = CASE WHEN $description IS NULL THEN e.description ELSE $description END,
  e.tlp = CASE WHEN $tlp IS NULL THEN e.tlp ELSE $tlp END,
  e.lastSeen = datetime($now)
RETURN properties(e) AS props

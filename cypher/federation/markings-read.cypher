// Current TLP markings and audiences of shareable items, re-read at the exit point.
UNWIND $refs AS ref
MATCH (s:Shareable {shareRef: ref})
RETURN s.shareRef AS ref, s.tlp AS tlp, coalesce(s.audiences, []) AS audiences

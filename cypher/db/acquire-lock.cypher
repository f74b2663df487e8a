// Takes (or renews) a named lease if it is free, expired or already ours; returns the holder.
MERGE (l:PalisadeLock {name: $name})
WITH l, (l.holder IS NULL OR l.holder = $holder OR l.expiresAt < $now) AS free
SET l.holder = CASE WHEN free THEN $holder ELSE l.holder END,
    l.expiresAt = CASE WHEN free THEN $now + $ttlMs ELSE l.expiresAt END
RETURN l.holder AS holder

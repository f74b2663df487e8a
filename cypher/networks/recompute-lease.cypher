// Takes or renews the full recompute's lease on the network lock node (free, expired or already
// ours); answers the holder. While the lease is held, incremental changes queue themselves.
MERGE (l:PalisadeLock {name: 'networks'})
WITH l, (l.holder IS NULL OR l.holder = $holder OR l.expiresAt < $now) AS free
SET l.version = coalesce(l.version, 0) + 1,
    l.holder = CASE WHEN free THEN $holder ELSE l.holder END,
    l.expiresAt = CASE WHEN free THEN $now + $ttlMs ELSE l.expiresAt END
RETURN l.holder AS holder, l.expiresAt AS expiresAt

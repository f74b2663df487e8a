// Gives the full recompute's lease back (only if we hold it).
MATCH (l:PalisadeLock {name: 'networks'})
WHERE l.holder = $holder
SET l.holder = null, l.expiresAt = null
RETURN count(l) AS released

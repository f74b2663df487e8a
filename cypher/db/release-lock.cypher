// Gives a named lease back if we hold it.
MATCH (l:PalisadeLock {name: $name})
WHERE l.holder = $holder
SET l.holder = null, l.expiresAt = null

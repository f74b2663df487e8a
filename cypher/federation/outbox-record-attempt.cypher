// Records a failed or refused attempt and when to try again.
MATCH (o:FederationOutbox {id: $id, status: 'pending'})
SET o.attempts = o.attempts + 1, o.nextAttemptAt = $nextAttemptAt, o.lastError = $error,
  o.lastAttemptAt = $now
RETURN o.id AS id

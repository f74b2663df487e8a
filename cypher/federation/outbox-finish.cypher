// Ends a message's life: delivered (with the peer's signed acknowledgement), withheld by the
// policy, or failed for good.
MATCH (o:FederationOutbox {id: $id, status: 'pending'})
SET o.status = $status, o.finishedAt = $now, o.ack = $ack, o.lastError = $error,
  o.attempts = o.attempts + $attempted
RETURN o.id AS id

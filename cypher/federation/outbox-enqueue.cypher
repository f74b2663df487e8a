// Queues one message for one peer, in the caller's transaction.
CREATE (o:FederationOutbox {id: $id, peerId: $peerId, messageType: $messageType,
  payload: $payload, items: $items, status: 'pending', createdAt: $now, attempts: 0,
  nextAttemptAt: $now})
RETURN o.id AS id

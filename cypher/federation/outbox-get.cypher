// One outbox message by id.
MATCH (o:FederationOutbox {id: $id})
RETURN o {.*} AS message

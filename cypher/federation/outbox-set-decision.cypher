// Remembers the last policy decision for a message, so each change of decision is audited once.
MATCH (o:FederationOutbox {id: $id})
SET o.decision = $decision
RETURN o.id AS id

// Completes a receipt with the verified sender, message type and the signed acknowledgement
// returned, so a re-delivery gets the same acknowledgement back.
MATCH (r:FederationReceipt {jti: $jti})
SET r.sender = $sender, r.messageType = $messageType, r.ack = $ack
RETURN r.jti AS jti

// Every member of the given networks (an update recomputes the whole of an affected network).
UNWIND $ids AS id
MATCH (:Network {id: id})<-[:IN_NETWORK]-(m)
RETURN m.uid AS uid

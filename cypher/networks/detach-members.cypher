// Takes members out of any network (their cluster is no longer a network).
UNWIND $uids AS uid
MATCH (:Entity {uid: uid})-[r:IN_NETWORK]->(:Network)
DELETE r
RETURN count(r) AS detached

// One evidence record with its properties, by uid.
MATCH (e:Evidence:Entity {uid: $uid})
RETURN properties(e) AS props

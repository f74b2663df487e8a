// How many customs recordations expire between $today and $until.
MATCH (r:CustomsRecordation)
WHERE r.validUntil >= date($today) AND r.validUntil <= date($until)
RETURN count(r) AS total

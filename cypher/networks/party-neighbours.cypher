// Members tied directly to each given member by a party relation (a factory supplying a seller,
// a company operating it, a person officer of a company…).
UNWIND $uids AS uid
MATCH (:Entity {uid: uid})-[:SUPPLIED_BY|OPERATES|OWNS|OFFICER_OF|EMPLOYED_BY|AFFILIATED_WITH]-(o:Seller|Factory|Company|Person)
RETURN uid AS member, o.uid AS other

// Every party relation between two members (factory supplies seller, company operates seller…).
MATCH (a:Seller|Factory|Company|Person)-[:SUPPLIED_BY|OPERATES|OWNS|OFFICER_OF|EMPLOYED_BY|AFFILIATED_WITH]->(b:Seller|Factory|Company|Person)
RETURN a.uid AS member, b.uid AS other

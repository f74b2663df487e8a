// Stores each network's risk score (computed from the summary by src/networks/risk.ts).
UNWIND $scores AS s
MATCH (net:Network {id: s.id})
SET net.riskScore = s.score
RETURN count(net) AS scored

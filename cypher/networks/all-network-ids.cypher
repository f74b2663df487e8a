// The id of every network (the full recompute dissolves those left without members).
MATCH (n:Network)
RETURN n.id AS id

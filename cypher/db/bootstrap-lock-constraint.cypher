// Makes lock nodes unique so that concurrent MERGEs of one lock meet on one node.
CREATE CONSTRAINT palisade_lock_name IF NOT EXISTS
FOR (l:PalisadeLock) REQUIRE l.name IS UNIQUE

// Which Neo4j URIs route (and so need bookmarks for read-your-writes) and which talk to one server.
import { describe, expect, it } from 'vitest';
import { isRoutingUri } from '../../../src/db/database.js';

describe('isRoutingUri', () => {
  it('treats neo4j:// in all its TLS forms as routing', () => {
    for (const uri of ['neo4j://db:7687', 'neo4j+s://db.example', 'neo4j+ssc://db', 'NEO4J://db']) {
      expect(isRoutingUri(uri), uri).toBe(true);
    }
  });

  it('treats bolt:// in all its TLS forms as one server', () => {
    for (const uri of ['bolt://127.0.0.1:7687', 'bolt+s://db.example', 'bolt+ssc://db']) {
      expect(isRoutingUri(uri), uri).toBe(false);
    }
  });
});

import { Neo4jError } from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { isUnavailable, translateDatabaseError } from '../../../src/db/errors.js';
import { isAppError } from '../../../src/server/errors.js';

const neo4jError = (code: string) => new Neo4jError('detail', code, '50N42', 'error');

describe('database error translation', () => {
  it('marks the database down only when the server cannot be reached', () => {
    expect(isUnavailable(neo4jError('ServiceUnavailable'))).toBe(true);
    expect(isUnavailable(neo4jError('Neo.TransientError.General.DatabaseUnavailable'))).toBe(true);
    // A deadlock that outlived the driver's retries is one transaction's bad luck: every other
    // request must still be served.
    expect(isUnavailable(neo4jError('Neo.TransientError.Transaction.DeadlockDetected'))).toBe(
      false,
    );
    expect(isUnavailable(neo4jError('Neo.TransientError.Transaction.LockClientStopped'))).toBe(
      false,
    );
  });

  it('tells the caller to retry a transient failure later, with a typed code', () => {
    const e = translateDatabaseError(neo4jError('Neo.TransientError.Transaction.DeadlockDetected'));
    expect(isAppError(e) && e.code).toBe('UNAVAILABLE');
    // Neo4j terminates running transactions when it shuts down, under a ClientError code.
    const terminated = neo4jError('Neo.ClientError.Transaction.Terminated');
    const t = translateDatabaseError(terminated);
    expect(isAppError(t) && t.code).toBe('UNAVAILABLE');
    expect(isUnavailable(terminated)).toBe(false);
    const bad = translateDatabaseError(neo4jError('Neo.ClientError.Statement.SyntaxError'));
    expect(isAppError(bad)).toBe(false);
  });
});

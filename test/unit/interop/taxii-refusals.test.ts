import { describe, expect, it } from 'vitest';
import { taxiiRoutes, TAXII_MEDIA_TYPE } from '../../../src/interop/taxii/routes.js';
import {
  RateLimitedError,
  UnauthenticatedError,
  UnavailableError,
} from '../../../src/server/errors.js';
import { createLogger } from '../../../src/server/logger.js';

function discovery(refusal: Error) {
  const [route] = taxiiRoutes({
    node: { id: 'node-a', name: 'Node A' },
    publicUrl: 'http://localhost:4000',
    tlpMax: 'AMBER',
    maxPage: 100,
    maxContentLength: 1_000_000,
    authenticate: () => Promise.reject(refusal),
    exportBundle: () => Promise.reject(new Error('not reached')),
    logger: createLogger('silent'),
  });
  return route!.handle(
    new Request('http://localhost:4000/taxii2/', {
      headers: { authorization: 'Bearer some-token', accept: TAXII_MEDIA_TYPE },
    }),
    {},
  );
}

describe('TAXII refusals', () => {
  it('answers a caller over its rate limit 429 with Retry-After, not 401', async () => {
    const res = await discovery(new RateLimitedError(7));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(await res.json()).toMatchObject({ http_status: '429' });
  });

  it('answers 503 while the database is unavailable and 401 for a refused token', async () => {
    expect((await discovery(new UnavailableError())).status).toBe(503);
    const refused = await discovery(new UnauthenticatedError('bad token'));
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Basic/);
  });
});

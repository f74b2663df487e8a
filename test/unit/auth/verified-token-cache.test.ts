// A client's token is verified once, then answered from the cache at once (no promise, so the
// request waits for nothing) until the cache entry or the token expires; a refusal is never cached.
import { describe, expect, it } from 'vitest';
import { createAuthenticator, VerifiedTokenCache } from '../../../src/auth/principal.js';
import type { AccessTokenVerifier } from '../../../src/federation/access-tokens.js';
import { UnauthenticatedError } from '../../../src/server/errors.js';

const request = (token?: string) =>
  new Request('http://palisade.test/graphql', {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

function counting(now: () => number) {
  const calls: string[] = [];
  const verifier: AccessTokenVerifier = {
    verify: (token) => {
      calls.push(token);
      if (token === 'bad') return Promise.reject(new UnauthenticatedError('bad token'));
      return Promise.resolve({
        subject: `analyst-${token}`,
        role: 'analyst',
        issuer: 'http://palisade.test',
        via: 'local',
        expiresAt: Math.floor(now() / 1000) + 3600,
      });
    },
  };
  return { verifier, calls };
}

describe('authenticating a client that sends the same token again', () => {
  it('verifies it once, then answers at once with the same principal', async () => {
    let clock = 1_000_000;
    const { verifier, calls } = counting(() => clock);
    const authenticate = createAuthenticator({
      verifier,
      cache: new VerifiedTokenCache(100, 60_000, () => clock),
    });
    const first = authenticate(request('t1'));
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toMatchObject({ subject: 'analyst-t1', role: 'analyst' });
    const again = authenticate(request('t1'));
    expect(again).not.toBeInstanceOf(Promise);
    expect(again).toMatchObject({ subject: 'analyst-t1', role: 'analyst' });
    expect(calls).toEqual(['t1']);
    // Past the cache's lifetime the token is verified again.
    clock += 60_001;
    expect(authenticate(request('t1'))).toBeInstanceOf(Promise);
    expect(calls).toEqual(['t1', 't1']);
  });

  it('verifies a refused token every time and refuses a request without one at once', async () => {
    const { verifier, calls } = counting(() => Date.now());
    const authenticate = createAuthenticator({ verifier });
    await expect(authenticate(request('bad'))).rejects.toThrow('bad token');
    await expect(authenticate(request('bad'))).rejects.toThrow('bad token');
    expect(calls).toEqual(['bad', 'bad']);
    expect(() => authenticate(request())).toThrow(UnauthenticatedError);
  });
});

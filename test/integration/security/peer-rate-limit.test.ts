// A peer node over its rate limit is told to come back later — 429 RATE_LIMITED with Retry-After —
// on GraphQL and on the federation HTTP routes alike, never that its key is bad (401).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/federation/audit-log.js';
import { signRequestToken } from '../../../src/federation/envelope.js';
import { toPublicJwk } from '../../../src/federation/jwk-import.js';
import { generateNodeKeys, type NodeKeys } from '../../../src/federation/keys.js';
import { PeerStore, type PeerLimits } from '../../../src/federation/peer-store.js';
import { startNode, type RunningNode } from '../../../src/main.js';
import { PSI_SESSIONS_PATH } from '../../../src/privacy/psi-service.js';
import { testLogger, useTestGraph } from '../../support/test-graph.js';

const SELF = 'node-under-test';
/** The node's default for peers without limits of their own. */
const DEFAULT_BURST = 5;

interface Answer {
  status: number;
  headers: Headers;
  code: string | undefined;
  retryAfter: unknown;
}

describe('rate limits for peer nodes', () => {
  const graph = useTestGraph();
  let node: RunningNode;
  const keys = new Map<string, NodeKeys>();

  const addPeer = async (id: string, limits: PeerLimits) => {
    const k = await generateNodeKeys();
    keys.set(id, k);
    await new PeerStore(graph.db).create({
      id,
      name: id,
      baseUrl: `http://${id}.invalid`,
      inboxUrl: `http://${id}.invalid/federation/inbox`,
      role: 'partner',
      fingerprint: k.signing.kid,
      signing: toPublicJwk(k.signing),
      encryption: toPublicJwk(k.encryption),
      limits,
      policy: { maxTlp: 'GREEN', audiences: [], transforms: [] },
    });
  };

  /** One request signed by the peer with a fresh single-use token, in process (yoga.fetch). */
  const asPeer = async (
    peerId: string,
    path: string,
    body: unknown,
    token?: string,
  ): Promise<Answer> => {
    const bearer =
      token ??
      (await signRequestToken({
        issuerId: peerId,
        signingKey: keys.get(peerId)!.signing,
        audienceId: SELF,
      }));
    const res = await node.yoga.fetch(`http://palisade.test${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as {
      errors?: Array<{ extensions?: { code?: string; retryAfter?: unknown } }>;
    };
    const ext = json.errors?.[0]?.extensions;
    return {
      status: res.status,
      headers: res.headers,
      code: ext?.code,
      retryAfter: ext?.retryAfter,
    };
  };
  const whoAmI = (peerId: string, token?: string) =>
    asPeer(peerId, '/graphql', { query: '{ federationWhoAmI { nodeId role } }' }, token);

  beforeAll(async () => {
    node = await startNode(
      graph.config({
        PALISADE_NODE_ID: SELF,
        // No refill to speak of while the test runs: the counts below are exact.
        PALISADE_PEER_RATE_LIMIT_PER_SECOND: '0.01',
        PALISADE_PEER_RATE_LIMIT_BURST: String(DEFAULT_BURST),
      }),
      { logger: testLogger(), listen: false },
    );
    await addPeer('peer-tight', { ratePerSecond: 0.01, burst: 3 });
    await addPeer('peer-default', { ratePerSecond: null, burst: null });
    await addPeer('peer-bystander', { ratePerSecond: null, burst: null });
  });
  afterAll(async () => {
    await node?.stop();
  });

  it('answers a peer over the limit its registry entry sets 429 RATE_LIMITED with Retry-After', async () => {
    for (let i = 0; i < 3; i++) expect((await whoAmI('peer-tight')).status).toBe(200);
    const over = await whoAmI('peer-tight');
    expect(over.status).toBe(429);
    expect(over.code).toBe('RATE_LIMITED');
    expect(over.retryAfter).toBeGreaterThanOrEqual(1);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(over.headers.get('www-authenticate')).toBeNull();
    // The peer's audit trail says why.
    const queries = await new AuditLog(graph.db).page({ kind: 'query', limit: 50, offset: 0 });
    expect(queries.some((e) => e.peer === 'peer-tight' && e.reason === 'RATE_LIMITED')).toBe(true);
  });

  it('refuses the same peer the same way on the federation HTTP routes (PSI)', async () => {
    const psi = await asPeer('peer-tight', PSI_SESSIONS_PATH, { kinds: ['PHONE'], elements: [] });
    expect(psi.status).toBe(429);
    expect(psi.code).toBe('RATE_LIMITED');
    expect(Number(psi.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('gives a peer without limits of its own exactly the node default, charged once per request', async () => {
    const answers: number[] = [];
    for (let i = 0; i < DEFAULT_BURST + 2; i++) answers.push((await whoAmI('peer-default')).status);
    expect(answers).toEqual([
      ...Array<number>(DEFAULT_BURST).fill(200),
      ...Array<number>(2).fill(429),
    ]);
  });

  it('keeps serving other peers, and still answers a bad peer token 401 UNAUTHENTICATED', async () => {
    expect((await whoAmI('peer-bystander')).status).toBe(200);
    const forged = await signRequestToken({
      issuerId: 'peer-bystander',
      signingKey: (await generateNodeKeys()).signing,
      audienceId: SELF,
    });
    const bad = await whoAmI('peer-bystander', forged);
    expect(bad.status).toBe(401);
    expect(bad.code).toBe('UNAUTHENTICATED');
    expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});

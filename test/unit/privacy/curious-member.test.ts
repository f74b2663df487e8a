// A curious member holds every bundle it ever received (opened with its own keys, as its inbox
// does), its own keys and secrets, and the association's answers to its own OPRF requests, and wants
// to know which phone number is behind a token. Offline it cannot: nothing it holds computes
// tokens. Online it must ask the association, over the same HTTP route every member uses, which
// evaluates only so many points per hour and then refuses (429 with Retry-After), and audits it.
import { Buffer } from 'node:buffer';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src/auth/rate-limiter.js';
import { MemoryReplayGuard, openEnvelope, sealEnvelope } from '../../../src/federation/envelope.js';
import { toPublicJwk } from '../../../src/federation/jwk-import.js';
import { generateNodeKeys } from '../../../src/federation/keys.js';
import {
  buildBundles,
  bundlePayloadSchema,
  INDICATORS_MESSAGE_TYPE,
} from '../../../src/privacy/indicators.js';
import { createKeyedHasher } from '../../../src/privacy/keyed-hash.js';
import {
  blindBatch,
  deriveKeyPair,
  evaluate,
  finalize,
  finalizeBatch,
} from '../../../src/privacy/oprf.js';
import {
  OprfKeySource,
  keyIdFor,
  periodId,
  rotateOprfSecret,
} from '../../../src/privacy/oprf-keys.js';
import { MAX_OPRF_BATCH, oprfRoutes, OprfService } from '../../../src/privacy/oprf-service.js';
import { formatToken, tokenFromOutput, tokenInput } from '../../../src/privacy/token.js';
import {
  httpEvaluator,
  OprfRefusedError,
  Tokenizer,
  type OprfEvaluator,
} from '../../../src/privacy/tokenizer.js';
import { createLogger } from '../../../src/server/logger.js';

const dir = mkdtempSync(join(tmpdir(), 'palisade-curious-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const audit: { reason?: string; peer?: string | null }[] = [];
const auditLog = {
  record: (e: { reason?: string; peer?: string | null }) => {
    audit.push(e);
    return Promise.resolve({} as never);
  },
};

/**
 * The association's service, and a member's evaluator: either in process, or over HTTP through the
 * association's real routes (the member's identity is what its signed request token would prove).
 */
function association(pointsPerHour: number, file = join(dir, `secret-${Math.random()}`)) {
  const keys = new OprfKeySource({ path: file, period: 'month', create: true });
  const service = new OprfService({
    keys,
    limiter: new RateLimiter(),
    pointsPerHour,
    audit: auditLog,
    logger: createLogger('silent'),
  });
  const asMember = (member: string): OprfEvaluator => ({
    currentKeyId: () => keys.currentKeyId(),
    async evaluate(blinded) {
      const r = await service.evaluate(member, {
        elements: blinded.map((b) => Buffer.from(b).toString('base64url')),
      });
      if (!r.ok) throw r.error;
      return {
        keyId: r.keyId,
        evaluated: r.evaluated.map((e) => new Uint8Array(Buffer.from(e, 'base64url'))),
      };
    },
  });
  const overHttp = (member: string): OprfEvaluator => {
    const routes = oprfRoutes(service, keys, () => ({
      subject: member,
      role: 'partner',
      peerId: member,
      via: 'peer',
    }));
    return httpEvaluator({
      association: () =>
        Promise.resolve({
          baseUrl: 'http://association.test',
          requestToken: () => Promise.resolve('signed-peer-request-token'),
        }),
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const path = new URL(request.url).pathname;
        const route = routes.find((r) => r.path === path && r.method === request.method);
        return route ? route.handle(request, {}) : new Response('not found', { status: 404 });
      },
    });
  };
  return { keys, service, asMember, overHttp, file };
}

// A mobile block of 2000 numbers, one of them the seller's.
const BLOCK = Array.from({ length: 2000 }, (_, i) => `+86138001${String(i).padStart(5, '0')}`);
const SELLER = BLOCK[1234]!;

describe('a curious member', { timeout: 120_000 }, () => {
  it('cannot map a received token back to a phone number offline, with every bundle it received and everything it holds', async () => {
    const a = association(1_000_000);
    const sender = await generateNodeKeys();
    const member = await generateNodeKeys();

    // A brand shares 200 numbers of the block, the seller's among them, in three versions.
    const sharedPhones = [SELLER, ...BLOCK.filter((_, i) => i % 10 === 3).slice(0, 199)];
    const envelopes: string[] = [];
    for (const version of [1, 2, 3]) {
      const { keyId, tokens } = await new Tokenizer(a.overHttp('brand-a')).tokenize(
        sharedPhones.map((key) => ({ kind: 'phone', key })),
      );
      const bundles = buildBundles({
        rows: tokens.map((token) => ({
          kind: 'phone',
          token,
          platforms: ['taobao'],
          categories: ['batteries'],
          firstSeen: '2026-03-01',
          lastSeen: '2026-03-02',
          listings: 2,
          tlp: 'GREEN',
        })),
        keyId,
        version,
        discloseIdentity: false,
        defaultTlp: 'GREEN',
        partItems: 80,
      });
      for (const b of bundles) {
        envelopes.push(
          await sealEnvelope({
            senderId: 'brand-a',
            senderSigningKey: sender.signing,
            recipientId: 'curious',
            recipientEncryptionPublicJwk: toPublicJwk(member.encryption),
            messageType: INDICATORS_MESSAGE_TYPE,
            payload: b.payload,
            ttlSeconds: 300,
          }),
        );
      }
    }

    // The member opens every envelope it received, exactly as its inbox does, and keeps it all.
    const received = new Map<string, unknown>();
    const replayGuard = new MemoryReplayGuard();
    for (const envelope of envelopes) {
      const opened = await openEnvelope(envelope, {
        selfId: 'curious',
        decryptionKeys: [member.encryption],
        lookupSender: () =>
          Promise.resolve({
            status: 'active',
            role: 'partner',
            signingKeys: [toPublicJwk(sender.signing)],
          }),
        allowedMessageTypes: () => new Set([INDICATORS_MESSAGE_TYPE]),
        maxBytes: 1 << 20,
        maxClockSkewSeconds: 60,
        maxTtlSeconds: 600,
        replayGuard,
      });
      for (const item of bundlePayloadSchema.parse(opened.payload).items) {
        received.set(item.token, item);
      }
    }
    expect(envelopes.length).toBe(9);
    expect(received.size).toBe(sharedPhones.length);
    const keyId = [...received.keys()][0]!.split('.')[0]!;
    // What was shared says nothing about the numbers: no digits of any of them.
    const everything = JSON.stringify([...received.values()]);
    for (const phone of sharedPhones) expect(everything).not.toContain(phone.slice(3));

    // Everything else it holds: its node keys, its keyed-hash secret, an OPRF key of its own made
    // from each, and the association's answers to its own earlier requests (its own 10 phones).
    const secrets = [member.signing.d, member.encryption.d].map(
      (d) => new Uint8Array(Buffer.from(d, 'base64url')),
    );
    const hashers = await Promise.all(secrets.map((k) => createKeyedHasher(k)));
    const ownKeys = await Promise.all(secrets.map((k) => deriveKeyPair(k, keyId)));
    const ownPhones = Array.from({ length: 10 }, (_, i) => `+8613900${String(i).padStart(6, '0')}`);
    const ownBlinded = await blindBatch(ownPhones.map((p) => tokenInput('phone', p)));
    const ownAnswers = await a
      .overHttp('curious')
      .evaluate(ownBlinded.map((b) => b.blindedElement));

    // It tries every number of the block every way it can.
    const asToken = (output: Uint8Array) => formatToken(tokenFromOutput(keyId, output));
    let tried = 0;
    let hits = 0;
    for (const phone of BLOCK) {
      const input = tokenInput('phone', phone);
      const guesses: Uint8Array[] = [
        createHash('sha512').update(input).digest(),
        ...secrets.map((k) => createHmac('sha512', k).update(input).digest()),
        ...hashers.map((h) =>
          Buffer.concat([h.hash('phone', keyId, input), h.hash('phone', keyId, phone)]),
        ),
      ];
      for (const k of ownKeys) guesses.push(await evaluate(k.secretKey, input));
      // The association's answer to one of its own requests, finalized as if it were this number's.
      guesses.push(await finalize(input, ownBlinded[0]!.blind, ownAnswers.evaluated[0]!));
      for (const g of guesses) {
        tried++;
        if (received.has(asToken(g))) hits++;
      }
    }
    expect(tried).toBe(BLOCK.length * 8);
    expect(hits).toBe(0);

    // Only the association's key gives the token (which is what blinding keeps from the member).
    const { pair } = await a.keys.current();
    expect(received.has(asToken(await evaluate(pair.secretKey, tokenInput('phone', SELLER))))).toBe(
      true,
    );
    for (const h of hashers) h.dispose();
  });

  it('online, is refused over HTTP with 429 RATE_LIMITED and a Retry-After once past its hourly budget, and audited', async () => {
    const a = association(1500);
    const { tokens } = await new Tokenizer(a.overHttp('honest')).tokenize([
      { kind: 'phone', key: SELLER },
    ]);
    const target = tokens[0]!;
    const curious = new Tokenizer(a.overHttp('curious'));

    // The dictionary attack, 1000 numbers per request: the first request is within the budget
    // and the seller (number 1234) is not among its answers …
    const first = await curious.tokenize(
      BLOCK.slice(0, 1000).map((key) => ({ kind: 'phone', key })),
    );
    expect(first.tokens).toHaveLength(1000);
    expect(first.tokens).not.toContain(target);
    // … the second, which holds the seller, is refused, with how long to wait.
    const refused = await curious
      .tokenize(BLOCK.slice(1000).map((key) => ({ kind: 'phone', key })))
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(refused).toBeInstanceOf(OprfRefusedError);
    expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    // 500 points left, 1000 asked, 1500 a hour: 20 minutes before that request could pass.
    expect((refused as OprfRefusedError).retryAfterSeconds).toBeGreaterThanOrEqual(1100);
    expect(
      audit.filter((e) => e.peer === 'curious' && e.reason === 'RATE_LIMITED').length,
    ).toBeGreaterThanOrEqual(1);

    // The budget is per member: an honest member is still served, and gets the same token.
    const again = await new Tokenizer(a.overHttp('honest')).tokenize([
      { kind: 'phone', key: SELLER },
    ]);
    expect(again.tokens).toEqual([target]);
  });

  it('cannot send more than 1000 points, nor an invalid point', async () => {
    const a = association(1_000_000);
    const blinded = await blindBatch(
      Array.from({ length: MAX_OPRF_BATCH + 1 }, (_, i) => tokenInput('phone', `+861380000${i}`)),
    );
    const elements = blinded.map((b) => Buffer.from(b.blindedElement).toString('base64url'));
    const tooMany = await a.service.evaluate('m', { elements });
    expect(tooMany.ok).toBe(false);
    const identity = Buffer.alloc(32).toString('base64url');
    const bad = await a.service.evaluate('m', { elements: [elements[0], identity] });
    expect(bad).toMatchObject({ ok: false, reason: 'INVALID_POINT' });
    const notCanonical = Buffer.alloc(32, 0xff).toString('base64url');
    expect(await a.service.evaluate('m', { elements: [notCanonical] })).toMatchObject({
      ok: false,
      reason: 'INVALID_POINT',
    });
  });

  it('gets tokens equal to the unblinded evaluation, each carrying the period key id', async () => {
    const a = association(1_000_000);
    const inputs = ['+8613800138000', '+8613900139000'].map((k) => ({ kind: 'phone', key: k }));
    const { keyId, tokens } = await new Tokenizer(a.asMember('m')).tokenize(inputs);
    expect(keyId).toBe(periodId(new Date(), 'month'));
    const { pair } = await a.keys.current();
    for (const [i, item] of inputs.entries()) {
      const out = await evaluate(pair.secretKey, tokenInput(item.kind, item.key));
      expect(tokens[i]).toBe(formatToken(tokenFromOutput(keyId, out)));
    }
    // Blinding really hides the input: finalize with the wrong blind gives another output.
    const [b] = await blindBatch([tokenInput('phone', '+8613800138000')]);
    const [wrong] = await blindBatch([tokenInput('phone', '+8613800138000')]);
    const evaluated = await a.asMember('m').evaluate([b!.blindedElement]);
    const [out] = await finalizeBatch(
      [tokenInput('phone', '+8613800138000')],
      [wrong!.blind],
      evaluated.evaluated,
    );
    expect(formatToken(tokenFromOutput(keyId, out!))).not.toBe(tokens[0]);
  });

  it('the secret file is 0600, and a rotation changes the key id and every token', async () => {
    const a = association(1_000_000);
    const before = await new Tokenizer(a.asMember('m')).tokenize([{ kind: 'phone', key: SELLER }]);
    expect(statSync(a.file).mode & 0o777).toBe(0o600);
    expect(await rotateOprfSecret(a.file)).toBe(2);
    const fresh = association(1_000_000, a.file);
    const after = await new Tokenizer(fresh.asMember('m')).tokenize([
      { kind: 'phone', key: SELLER },
    ]);
    expect(after.keyId).toBe(keyIdFor(periodId(new Date(), 'month'), 2));
    expect(after.tokens[0]).not.toBe(before.tokens[0]);
    expect(periodId(new Date('2026-11-30T23:00:00Z'), 'quarter')).toBe('2026-Q4');
    expect(periodId(new Date('2026-01-01T00:00:00Z'), 'year')).toBe('2026');
  });
});

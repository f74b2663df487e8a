// A curious member holds every bundle it received and all of its own keys, and wants to know which
// phone number is behind a token. Offline it cannot: nothing it holds computes tokens. Online it
// must ask the association, which evaluates only so many points per hour and then refuses.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src/auth/rate-limiter.js';
import { generateNodeKeys } from '../../../src/federation/keys.js';
import { createKeyedHasher } from '../../../src/privacy/keyed-hash.js';
import { deriveKeyPair, evaluate, blindBatch, finalizeBatch } from '../../../src/privacy/oprf.js';
import {
  OprfKeySource,
  keyIdFor,
  periodId,
  rotateOprfSecret,
} from '../../../src/privacy/oprf-keys.js';
import { MAX_OPRF_BATCH, OprfService } from '../../../src/privacy/oprf-service.js';
import { formatToken, tokenFromOutput, tokenInput } from '../../../src/privacy/token.js';
import { Tokenizer, type OprfEvaluator } from '../../../src/privacy/tokenizer.js';
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

/** The association's service, and a member's evaluator that goes through it. */
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
  return { keys, service, asMember, file };
}

// A mobile block of 2000 numbers, one of them the seller's.
const BLOCK = Array.from({ length: 2000 }, (_, i) => `+86138001${String(i).padStart(5, '0')}`);
const SELLER = BLOCK[1234]!;

describe('a curious member', { timeout: 60_000 }, () => {
  it('cannot map a token back to a phone number offline with everything it holds', async () => {
    const a = association(1_000_000);
    const brand = new Tokenizer(a.asMember('brand-a'));
    // What the member received: the token of the seller's phone, in a bundle.
    const { tokens } = await brand.tokenize([{ kind: 'phone', key: SELLER }]);
    const received = new Set(tokens);

    // Everything the member holds: its own node keys, its own keyed-hash secret, its own OPRF
    // key if it ran one, and the public suite. It hashes the whole block every way it can.
    const own = await generateNodeKeys();
    const secret = new Uint8Array(Buffer.from(own.signing.d, 'base64url'));
    const hasher = await createKeyedHasher(new Uint8Array(32).fill(7));
    const ownOprf = await deriveKeyPair(secret.slice(0, 32), 'member-guess');
    const keyId = tokens[0]!.split('.')[0]!;
    const guesses = (phone: string): string[] => {
      const input = tokenInput('phone', phone);
      return [
        formatToken(tokenFromOutput(keyId, createHash('sha512').update(input).digest())),
        formatToken(
          tokenFromOutput(
            keyId,
            Buffer.concat([hasher.hash('phone', keyId, input), hasher.hash('phone', keyId, phone)]),
          ),
        ),
      ];
    };
    let hits = 0;
    for (const phone of BLOCK) {
      for (const g of guesses(phone)) if (received.has(g)) hits++;
      const viaOwnKey = await evaluate(ownOprf.secretKey, tokenInput('phone', phone));
      if (received.has(formatToken(tokenFromOutput(keyId, viaOwnKey)))) hits++;
    }
    expect(hits).toBe(0);

    // Only the association's key gives the token (which is what blinding keeps from the member).
    const { pair } = await a.keys.current();
    const truth = await evaluate(pair.secretKey, tokenInput('phone', SELLER));
    expect(received.has(formatToken(tokenFromOutput(keyId, truth)))).toBe(true);
    hasher.dispose();
  });

  it('is refused with RATE_LIMITED and a Retry-After once past its hourly budget, and audited', async () => {
    const a = association(1500);
    const member = new Tokenizer(a.asMember('curious'));
    const { tokens } = await new Tokenizer(a.asMember('honest')).tokenize([
      { kind: 'phone', key: SELLER },
    ]);
    // The dictionary attack asks for the whole block: the first 1000 points pass, the rest not.
    const attempt = member.tokenize(BLOCK.map((key) => ({ kind: 'phone', key })));
    await expect(attempt).rejects.toMatchObject({
      extensions: { code: 'RATE_LIMITED', http: { status: 429 } },
    });
    const refused = audit.filter((e) => e.peer === 'curious' && e.reason === 'RATE_LIMITED');
    expect(refused.length).toBeGreaterThanOrEqual(1);
    // The budget is per member: an honest member is still served.
    const again = await new Tokenizer(a.asMember('honest')).tokenize([
      { kind: 'phone', key: SELLER },
    ]);
    expect(again.tokens).toEqual(tokens);
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

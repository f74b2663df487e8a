// No outbound indicator payload ever carries a raw identifier, name, URL or address — in any
// normalization or encoding. 10 000 generated records go through the whole outbound path
// (normalize → OPRF tokens → bundle → seal), and every sealed envelope is opened with the
// recipient's key and searched.
import { Buffer } from 'node:buffer';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { compactDecrypt, importJWK } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { sealEnvelope } from '../../../src/federation/envelope.js';
import { toPublicJwk } from '../../../src/federation/jwk-import.js';
import { generateNodeKeys } from '../../../src/federation/keys.js';
import { normalizeIdentifier } from '../../../src/identifiers/index.js';
import type { IdentifierKind } from '../../../src/identifiers/types.js';
import {
  buildBundles,
  INDICATORS_MESSAGE_TYPE,
  type ShareRow,
} from '../../../src/privacy/indicators.js';
import { OprfKeySource } from '../../../src/privacy/oprf-keys.js';
import { localEvaluator, Tokenizer } from '../../../src/privacy/tokenizer.js';

const dir = mkdtempSync(join(tmpdir(), 'palisade-noleak-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number) =>
  fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
const FULLWIDTH = (s: string) =>
  s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** A Chinese mobile number written one of many ways. */
const phone = fc
  .tuple(fc.constantFrom('13', '15', '17', '18', '19'), digits(9), fc.integer({ min: 0, max: 7 }))
  .map(([p, rest, style]) => {
    const n = `${p}${rest}`;
    const spaced = `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`;
    return [
      n,
      `+86 ${spaced}`,
      `+86-${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`,
      `(+86) ${n}`,
      `0086${n}`,
      spaced,
      FULLWIDTH(n),
      `tel:+86${n}`,
    ][style]!;
  });
const word = fc.stringMatching(/^[a-z]{4,10}$/);
const email = fc
  .tuple(
    word,
    word,
    fc.constantFrom('qq.com', '163.com', 'gmail.com', 'Example.CN', 'shop-mail.net'),
    fc.boolean(),
  )
  .map(([a, b, d, upper]) => {
    const e = `${a}.${b}@${d}`;
    return upper ? e.toUpperCase() : e;
  });
const address = fc
  .tuple(
    fc.integer({ min: 1, max: 999 }),
    word,
    fc.constantFrom('Road', 'Rd.', 'Street', 'Lu', '路'),
    fc.constantFrom('Beijing', 'Shenzhen', 'Guangzhou', 'Yiwu', '上海市'),
    fc.integer({ min: 100, max: 2999 }),
  )
  .map(
    ([no, street, suffix, city, room]) => `Room ${room}, No. ${no} ${street} ${suffix}, ${city}`,
  );
const name = fc
  .tuple(word, word, fc.constantFrom('Trading Co., Ltd.', 'Store', '旗舰店', 'Electronics'))
  .map(([a, b, s]) => `${a[0]!.toUpperCase()}${a.slice(1)} ${b} ${s}`);
const url = fc
  .tuple(word, fc.constantFrom('shop', 'item', 'store'), digits(8), fc.boolean())
  .map(
    ([host, path, id, tracking]) =>
      `https://${host}.example.com/${path}/${id}${tracking ? '?utm_source=x&spm=a1' : ''}`,
  );
const account = fc
  .tuple(fc.constantFrom('alipay', 'paypal', 'bank'), digits(12))
  .map(([p, d]) => ({ p, d }));

const record = fc.record({
  phone,
  email,
  address,
  sellerName: name,
  legalName: name,
  storefrontUrl: url,
  listingUrl: url,
  account,
  // What an analyst might type into places that end up as "context": a URL as a platform code,
  // a shop name as a category.
  platform: fc.oneof(fc.constantFrom('jd', 'taobao', 'amazon', 'TMALL'), url, name),
  category: fc.oneof(fc.constantFrom('batteries', 'Footwear', 'bag'), name, address),
});
type Rec = typeof record extends fc.Arbitrary<infer T> ? T : never;

/** Every spelling of a sensitive value that must not appear anywhere in a payload. */
function needles(raw: string, normalized?: string): { text: string[]; exact: string[] } {
  const forms = new Set<string>([raw, raw.toLowerCase(), raw.normalize('NFKC')]);
  if (normalized) {
    forms.add(normalized);
    forms.add(normalized.toLowerCase());
  }
  const text = new Set<string>();
  const exact = new Set<string>();
  for (const f of forms) {
    if (f.length >= 6) text.add(f.toLowerCase());
    const d = f.normalize('NFKC').replace(/\D/g, '');
    if (d.length >= 8) text.add(d);
    if (f.length >= 6) {
      const bytes = Buffer.from(f, 'utf8');
      text.add(bytes.toString('hex'));
      text.add(encodeURIComponent(f).toLowerCase());
      // base64 without its last (padding-dependent) characters, both alphabets: case matters.
      const b64 = bytes.toString('base64').replace(/=+$/, '');
      const b64u = bytes.toString('base64url');
      exact.add(b64.slice(0, Math.max(8, b64.length - 3)));
      exact.add(b64u.slice(0, Math.max(8, b64u.length - 3)));
    }
  }
  return { text: [...text], exact: [...exact] };
}

function sensitive(r: Rec): { text: string[]; exact: string[] } {
  const parts = [
    needles(r.phone, norm('phone', r.phone)),
    needles(r.email, norm('email', r.email)),
    needles(r.address, norm('address', r.address)),
    needles(r.sellerName),
    needles(r.legalName),
    needles(r.storefrontUrl),
    needles(r.listingUrl),
    needles(r.account.d, norm('paymentAccount', r.account.d, r.account.p)),
  ];
  return { text: parts.flatMap((p) => p.text), exact: parts.flatMap((p) => p.exact) };
}

function norm(kind: IdentifierKind, value: string, provider?: string): string | undefined {
  const n = normalizeIdentifier({ kind, value, region: 'CN', ...(provider && { provider }) });
  return n.ok ? n.key : undefined;
}

describe('outbound indicator payloads', () => {
  it('never contain a raw identifier, name, URL or address in any normalization or encoding (10 000 records)', async () => {
    const keys = new OprfKeySource({
      path: join(dir, 'oprf-secret'),
      period: 'month',
      create: true,
    });
    const tokenizer = new Tokenizer(localEvaluator(keys));
    const recipient = await generateNodeKeys();
    const sender = await generateNodeKeys();
    const decryptKey = await importJWK(recipient.encryption, 'ECDH-ES+A256KW');
    let checked = 0;
    let sealed = 0;

    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 500, maxLength: 500 }), async (records) => {
        // Normalize and tokenize every identifier of every record, the way a brand node does.
        // Two identifiers per record go through the OPRF (the phone, and in turn the email, the
        // address or the account) to keep the run short; every value of every record is searched.
        const idents = records.flatMap((r, i) => [
          { kind: 'phone' as const, value: r.phone, region: 'CN', r },
          [
            { kind: 'email' as const, value: r.email, r },
            { kind: 'address' as const, value: r.address, r },
            { kind: 'paymentAccount' as const, value: r.account.d, provider: r.account.p, r },
          ][i % 3]!,
        ]);
        const { keyId, tokens } = await tokenizer.tokenizeRaw(idents.map(({ r: _r, ...i }) => i));
        const rows: ShareRow[] = idents.flatMap((i, n) => {
          const token = tokens[n];
          if (!token) return [];
          return [
            {
              kind: i.kind,
              token,
              platforms: [i.r.platform, i.r.storefrontUrl],
              categories: [i.r.category, i.r.sellerName, i.r.legalName, i.r.listingUrl],
              firstSeen: '2026-03-01T10:11:12Z',
              lastSeen: new Date('2026-03-04T23:59:59Z'),
              listings: 3,
              tlp: n % 7 === 0 ? 'RED' : n % 3 === 0 ? 'AMBER' : null,
            },
          ];
        });
        const bundles = buildBundles({
          rows,
          keyId,
          version: 1,
          discloseIdentity: false,
          defaultTlp: 'GREEN',
          partItems: 1000,
        });
        const hay: string[] = [];
        for (const b of bundles) {
          const envelope = await sealEnvelope({
            senderId: 'brand-a',
            senderSigningKey: sender.signing,
            recipientId: 'brand-b',
            recipientEncryptionPublicJwk: toPublicJwk(recipient.encryption),
            messageType: INDICATORS_MESSAGE_TYPE,
            payload: b.payload,
            ttlSeconds: 300,
          });
          sealed++;
          const { plaintext } = await compactDecrypt(envelope, decryptKey);
          const jws = new TextDecoder().decode(plaintext);
          const claims = Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8');
          hay.push(claims);
          // RED items never leave, whatever else happens.
          expect(claims).not.toContain('"RED"');
        }
        const haystack = hay.join('\n');
        const lower = haystack.toLowerCase();
        // Every 6-character window of the payloads: a needle can only be present if its first
        // window is, and only then is the full (slow) search run.
        const windows = (h: string): Set<string> => {
          const set = new Set<string>();
          for (let i = 0; i + 6 <= h.length; i++) set.add(h.slice(i, i + 6));
          return set;
        };
        const lowerWindows = windows(lower);
        const exactWindows = windows(haystack);
        for (const r of records) {
          const { text, exact } = sensitive(r);
          for (const t of text) {
            if (lowerWindows.has(t.slice(0, 6)) && lower.includes(t)) {
              throw new Error(`leak: a ${t.length}-char form of a record value`);
            }
          }
          for (const e of exact) {
            if (exactWindows.has(e.slice(0, 6)) && haystack.includes(e)) {
              throw new Error('leak: a base64 form of a record value');
            }
          }
          checked++;
        }
      }),
      { numRuns: 20, seed: 7 },
    );
    expect(checked).toBeGreaterThanOrEqual(10_000);
    expect(sealed).toBeGreaterThanOrEqual(20);
    await keys.dispose();
  }, 300_000);
});

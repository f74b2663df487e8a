// No outbound payload of any kind ever carries a raw identifier, name, URL or address — in any
// normalization or encoding. 10 000 generated records go through every outbound path of a brand:
// OPRF requests to the association (over the HTTP client and the association's real route),
// indicator bundles (sealed, then opened with the recipient's key), partner query answers, both
// directions of a PSI run (client against the responder's real routes), and the member report and
// the association's published report (sealed and opened). Everything that crosses the wire is
// searched.
import { Buffer } from 'node:buffer';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { compactDecrypt, importJWK } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { aggregate } from '../../../src/association/aggregate.js';
import { buildMemberReport, type EnforcementFact } from '../../../src/association/builder.js';
import { ASSOCIATION_REPORT_TYPE, MEMBER_REPORT_TYPE } from '../../../src/association/report.js';
import { RateLimiter } from '../../../src/auth/rate-limiter.js';
import { sealEnvelope, signRequestToken } from '../../../src/federation/envelope.js';
import { toPublicJwk } from '../../../src/federation/jwk-import.js';
import { generateNodeKeys } from '../../../src/federation/keys.js';
import { normalizeIdentifier } from '../../../src/identifiers/index.js';
import type { IdentifierKind } from '../../../src/identifiers/types.js';
import {
  buildBundles,
  INDICATORS_MESSAGE_TYPE,
  knownIndicators,
  type ShareRow,
} from '../../../src/privacy/indicators.js';
import { OprfKeySource } from '../../../src/privacy/oprf-keys.js';
import { oprfRoutes, OprfService } from '../../../src/privacy/oprf-service.js';
import { psiRoutes, runPsi } from '../../../src/privacy/psi-service.js';
import { httpEvaluator, Tokenizer } from '../../../src/privacy/tokenizer.js';
import type { Principal } from '../../../src/server/context.js';
import { createLogger } from '../../../src/server/logger.js';
import type { Route } from '../../../src/server/routes.js';

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

/** Serves routes to a fetch client, keeping every request (with its bearer token) and response. */
function wire(routes: readonly Route[], log: string[]): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const request = new Request(url, init);
    log.push(
      `${request.headers.get('authorization') ?? ''}\n${typeof init?.body === 'string' ? init.body : ''}`,
    );
    for (const route of routes) {
      if (route.method !== request.method) continue;
      let params: Record<string, string> | null = null;
      if (typeof route.path === 'string') {
        if (route.path === url.pathname) params = {};
      } else {
        const m = route.path.exec(url.pathname);
        if (m) params = { ...(m.groups ?? {}) };
      }
      if (!params) continue;
      const res = await route.handle(request, params);
      const text = await res.text();
      log.push(text);
      return new Response(text, { status: res.status, headers: res.headers });
    }
    return new Response('not found', { status: 404 });
  };
}

const noAudit = { record: () => Promise.resolve({} as never) };
const brandA: Principal = { subject: 'brand-a', role: 'partner', peerId: 'brand-a', via: 'peer' };
const KINDS = ['phone', 'email', 'address', 'paymentAccount'];

describe('outbound payloads of every kind', () => {
  it('never contain a raw identifier, name, URL or address in any normalization or encoding (10 000 records)', async () => {
    const keys = new OprfKeySource({
      path: join(dir, 'oprf-secret'),
      period: 'month',
      create: true,
    });
    const recipient = await generateNodeKeys();
    const sender = await generateNodeKeys();
    const decryptKey = await importJWK(recipient.encryption, 'ECDH-ES+A256KW');
    const requestToken = (audienceId: string) => () =>
      signRequestToken({ issuerId: 'brand-a', signingKey: sender.signing, audienceId });
    const seen = {
      records: 0,
      oprfRequests: 0,
      bundles: 0,
      partnerAnswers: 0,
      psiMessages: 0,
      memberReports: 0,
      associationReports: 0,
    };

    /** Seals as the outbox sender does and opens with the recipient's key: the claims as sent. */
    const sealed = async (messageType: string, payload: unknown): Promise<string> => {
      const envelope = await sealEnvelope({
        senderId: 'brand-a',
        senderSigningKey: sender.signing,
        recipientId: 'brand-b',
        recipientEncryptionPublicJwk: toPublicJwk(recipient.encryption),
        messageType,
        payload,
        ttlSeconds: 300,
      });
      const { plaintext } = await compactDecrypt(envelope, decryptKey);
      const jws = new TextDecoder().decode(plaintext);
      return Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8');
    };

    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 500, maxLength: 500 }), async (records) => {
        const hay: string[] = [];

        // 1. OPRF requests: the brand's HTTP client against the association's real route. Two
        // identifiers per record go through the OPRF (the phone, and in turn the email, the
        // address or the account) to keep the run short; every value of every record is searched.
        const oprfWire: string[] = [];
        const service = new OprfService({
          keys,
          limiter: new RateLimiter(),
          pointsPerHour: 10_000_000,
          audit: noAudit,
          logger: createLogger('silent'),
        });
        const tokenizer = new Tokenizer(
          httpEvaluator({
            association: () =>
              Promise.resolve({
                baseUrl: 'http://association.test',
                requestToken: requestToken('assoc-c'),
              }),
            fetch: wire(
              oprfRoutes(service, keys, () => brandA),
              oprfWire,
            ),
          }),
        );
        const idents = records.flatMap((r, i) => [
          { kind: 'phone' as const, value: r.phone, region: 'CN', r },
          [
            { kind: 'email' as const, value: r.email, r },
            { kind: 'address' as const, value: r.address, r },
            { kind: 'paymentAccount' as const, value: r.account.d, provider: r.account.p, r },
          ][i % 3]!,
        ]);
        const { keyId, tokens } = await tokenizer.tokenizeRaw(idents.map(({ r: _r, ...i }) => i));
        expect(oprfWire.length).toBeGreaterThanOrEqual(2);
        hay.push(...oprfWire);
        seen.oprfRequests += oprfWire.length / 2;

        // 2. Indicator bundles, with what an analyst might type into places that end up as
        // context: a URL as a platform code, a shop name as a category.
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
        for (const b of bundles) {
          const claims = await sealed(INDICATORS_MESSAGE_TYPE, b.payload);
          // RED items never leave, whatever else happens.
          expect(claims).not.toContain('"RED"');
          hay.push(claims);
          seen.bundles++;
        }

        // 3. A partner query answer about the same identifiers (the store reads the same rows).
        const known = knownIndicators(rows, 'GREEN');
        expect(known.length).toBeGreaterThan(0);
        hay.push(JSON.stringify({ asked: rows.length, known }));
        seen.partnerAnswers++;

        // 4. PSI: brand A (every identifier above) with brand B (the phones of every other
        // record), both directions on the wire.
        const normalized = idents.flatMap((i) => {
          const n = normalizeIdentifier(i);
          return n.ok ? [{ kind: n.kind, key: n.key }] : [];
        });
        const theirs = normalized.filter((n, i) => n.kind === 'phone' && i % 4 === 0);
        const psiWire: string[] = [];
        const psi = await runPsi(
          {
            store: {
              psiItems: (k) => Promise.resolve(normalized.filter((n) => k.includes(n.kind))),
            },
            maxItems: 10_000,
            peer: { baseUrl: 'http://brand-b.test', requestToken: requestToken('brand-b') },
            fetch: wire(
              psiRoutes({
                store: {
                  psiItems: (k) => Promise.resolve(theirs.filter((n) => k.includes(n.kind))),
                },
                audit: noAudit,
                limiter: new RateLimiter(),
                maxItems: 10_000,
                principalOf: () => brandA,
              }),
              psiWire,
            ),
          },
          KINDS,
        );
        // The run really intersected: A finds exactly B's phones.
        expect(new Set(psi.shared.map((s) => s.key))).toEqual(new Set(theirs.map((t) => t.key)));
        hay.push(...psiWire);
        seen.psiMessages += psiWire.length;

        // 5. The member report (with enforcement outcomes written as free text) and the report
        // the association publishes from it and another member's.
        const facts: EnforcementFact[] = records.map((r, i) => ({
          kind: ['TAKEDOWN', 'CIVIL_SUIT', 'CRIMINAL_CASE', 'SEIZURE'][i % 4]!,
          jurisdiction: i % 5 === 0 ? r.address : 'CN',
          outcome: `${r.sellerName} removed after complaint, see ${r.listingUrl}`,
          itemsSeized: 12,
          arrests: 1,
          platforms: [r.platform, r.storefrontUrl],
          categories: [r.category, r.legalName],
        }));
        const networks = records.map((_, i) =>
          [tokens[2 * i], tokens[2 * i + 1]].filter((t): t is string => t !== null),
        );
        const report = (of: readonly ShareRow[]) =>
          buildMemberReport({
            period: '2026-03',
            version: 1,
            keyId,
            rows: of,
            networks,
            facts,
            defaultTlp: 'GREEN',
          });
        const mine = report(rows);
        hay.push(await sealed(MEMBER_REPORT_TYPE, mine));
        seen.memberReports++;
        const agg = aggregate({
          period: '2026-03',
          version: 2,
          k: 2,
          submissions: [
            { member: 'brand-a', report: mine },
            { member: 'brand-b', report: report(rows.filter((_, i) => i % 2 === 0)) },
          ],
        });
        expect(agg.shared.indicators.length).toBeGreaterThan(0);
        const published = { ...agg.shared, own: agg.own.get('brand-a') ?? [] };
        hay.push(await sealed(ASSOCIATION_REPORT_TYPE, published));
        seen.associationReports++;

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
          seen.records++;
        }
      }),
      { numRuns: 20, seed: 7 },
    );
    expect(seen.records).toBeGreaterThanOrEqual(10_000);
    expect(seen).toMatchObject({ partnerAnswers: 20, memberReports: 20, associationReports: 20 });
    expect(seen.oprfRequests).toBeGreaterThanOrEqual(20);
    expect(seen.bundles).toBeGreaterThanOrEqual(20);
    // Two requests and two answers per PSI run.
    expect(seen.psiMessages).toBe(80);
    await keys.dispose();
  }, 600_000);
});

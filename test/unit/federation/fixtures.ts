// A small federation for unit tests: brand A sends, brand B receives, an association also sends.
import { CompactEncrypt, CompactSign, importJWK } from 'jose';
import {
  EnvelopeRefusedError,
  MemoryReplayGuard,
  sealEnvelope,
  type OpenEnvelopeContext,
  type SealEnvelopeInput,
  type SenderRecord,
} from '../../../src/federation/envelope.js';
import {
  toPublicJwk,
  type EncryptionPublicJwk,
  type SigningPrivateJwk,
} from '../../../src/federation/jwk-import.js';
import { generateNodeKeys, type NodeKeys } from '../../../src/federation/keys.js';

export const NOW = new Date('2026-11-20T12:00:00Z');
export const NOW_S = Math.floor(NOW.getTime() / 1000);

const ALLOWED: Record<string, ReadonlySet<string>> = {
  partner: new Set(['indicator.share', 'match.alert']),
  association: new Set(['report.aggregate']),
};

export interface World {
  a: NodeKeys;
  b: NodeKeys;
  assoc: NodeKeys;
  stranger: NodeKeys;
  registry: Map<string, SenderRecord>;
  bEncryptionPublic: EncryptionPublicJwk;
  ctx(overrides?: Partial<OpenEnvelopeContext>): OpenEnvelopeContext;
  seal(overrides?: Partial<SealEnvelopeInput>): Promise<string>;
}

export async function makeWorld(): Promise<World> {
  const [a, b, assoc, stranger] = await Promise.all([
    generateNodeKeys(NOW),
    generateNodeKeys(NOW),
    generateNodeKeys(NOW),
    generateNodeKeys(NOW),
  ]);
  const registry = new Map<string, SenderRecord>([
    ['brand-a', { status: 'active', role: 'partner', signingKeys: [toPublicJwk(a.signing)] }],
    ['assoc', { status: 'active', role: 'association', signingKeys: [toPublicJwk(assoc.signing)] }],
  ]);
  const bEncryptionPublic = toPublicJwk(b.encryption);
  return {
    a,
    b,
    assoc,
    stranger,
    registry,
    bEncryptionPublic,
    ctx: (overrides = {}) => ({
      selfId: 'brand-b',
      decryptionKeys: [b.encryption],
      lookupSender: (iss) => Promise.resolve(registry.get(iss) ?? null),
      allowedMessageTypes: (role) => ALLOWED[role] ?? new Set(),
      maxBytes: 64 * 1024,
      maxClockSkewSeconds: 60,
      maxTtlSeconds: 3600,
      now: () => NOW,
      replayGuard: new MemoryReplayGuard({ now: () => NOW }),
      ...overrides,
    }),
    seal: (overrides = {}) =>
      sealEnvelope({
        senderId: 'brand-a',
        senderSigningKey: a.signing,
        recipientId: 'brand-b',
        recipientEncryptionPublicJwk: bEncryptionPublic,
        messageType: 'indicator.share',
        payload: { indicators: [{ type: 'phone', token: 'dG9rZW4' }], tlp: 'GREEN' },
        ttlSeconds: 300,
        now: NOW,
        ...overrides,
      }),
  };
}

/** Build a nested JWT by hand, the way an attacker who can encrypt to B (anyone) could. */
export async function handMadeEnvelope(options: {
  signWith: SigningPrivateJwk;
  jwsHeader: Record<string, unknown>;
  claims: Record<string, unknown>;
  encryptTo: EncryptionPublicJwk;
  jweHeader?: Record<string, unknown>;
}): Promise<string> {
  const jws = await handMadeJws(options.signWith, options.jwsHeader, options.claims);
  return encryptRaw(jws, options.encryptTo, options.jweHeader);
}

export async function handMadeJws(
  key: SigningPrivateJwk,
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: 'EdDSA', ...header })
    .sign(await importJWK(key, 'EdDSA'));
}

export async function encryptRaw(
  plaintext: string,
  to: EncryptionPublicJwk,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(plaintext))
    .setProtectedHeader({
      alg: 'ECDH-ES+A256KW',
      enc: 'A256GCM',
      kid: to.kid,
      cty: 'JWT',
      ...header,
    })
    .encrypt(await importJWK(to, 'ECDH-ES+A256KW'));
}

/** The refusal a promise ends with; fails the test if it resolves or throws anything else. */
export async function refusalOf(p: Promise<unknown>): Promise<EnvelopeRefusedError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof EnvelopeRefusedError) return e;
    throw e;
  }
  throw new Error('expected a refusal, but it was accepted');
}

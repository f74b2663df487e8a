// The signed self-description at /.well-known/palisade-node, and its verification by a node that
// pins a new peer: the signing key must match the fingerprint the admin read out of band.
import { CompactSign, compactVerify } from 'jose';
import { z } from 'zod';
import { decodeJsonSegment, hasOnlyMembers, splitCompact } from './compact.js';
import {
  encryptionPublicJwkSchema,
  importSigningPrivateKey,
  importSigningPublicKey,
  jwkThumbprint,
  parseJwk,
  SIGNING_ALG,
  signingPublicJwkSchema,
  type EncryptionPublicJwk,
  type SigningPrivateJwk,
  type SigningPublicJwk,
} from './jwk-import.js';
import type { Jwks } from './keys.js';

export const NODE_DOCUMENT_TYP = 'palisade-node+jwt';

export interface NodeDocument {
  id: string;
  name: string;
  role: 'brand' | 'association';
  endpoints: { inbox: string; graphql: string; jwks: string; keyRotation: string };
  keys: { kid: string; use: 'sig' | 'enc'; thumbprint: string }[];
  /** Epoch seconds. */
  issuedAt: number;
}

const documentSchema = z.object({
  id: z.string().min(1).max(256),
  name: z.string().min(1).max(200),
  role: z.enum(['brand', 'association']),
  endpoints: z.object({
    inbox: z.url(),
    graphql: z.url(),
    jwks: z.url(),
    keyRotation: z.url(),
  }),
  keys: z
    .array(z.object({ kid: z.string(), use: z.enum(['sig', 'enc']), thumbprint: z.string() }))
    .max(16),
  issuedAt: z.number().int(),
});

/** The endpoints a node publishes under its public base URL. */
export function endpointsFor(publicUrl: string): NodeDocument['endpoints'] {
  const base = publicUrl.replace(/\/$/, '');
  return {
    inbox: `${base}/federation/inbox`,
    graphql: `${base}/graphql`,
    jwks: `${base}/.well-known/jwks.json`,
    keyRotation: `${base}/.well-known/palisade-key-rotation`,
  };
}

export async function signNodeDocument(
  doc: Omit<NodeDocument, 'keys'>,
  jwks: Jwks,
  signingKey: SigningPrivateJwk,
): Promise<string> {
  // kid = RFC 7638 thumbprint for every node key (checked when the key file is read).
  const keys = jwks.keys.map((k) => ({ kid: k.kid, use: k.use, thumbprint: k.kid }));
  return new CompactSign(new TextEncoder().encode(JSON.stringify({ ...doc, keys })))
    .setProtectedHeader({ alg: SIGNING_ALG, kid: signingKey.kid, typ: NODE_DOCUMENT_TYP })
    .sign(await importSigningPrivateKey(signingKey));
}

export type PinRefusal =
  'UNREACHABLE' | 'MALFORMED' | 'FINGERPRINT_MISMATCH' | 'BAD_SIGNATURE' | 'NO_ENCRYPTION_KEY';

export class PinRefusedError extends Error {
  constructor(
    readonly reason: PinRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'PinRefusedError';
  }
}

export interface PinnedNode {
  document: NodeDocument;
  signing: SigningPublicJwk;
  encryption: EncryptionPublicJwk;
  fingerprint: string;
}

/**
 * Checks a fetched node document and JWKS against the fingerprint read out of band: the document
 * must be signed by the JWKS signing key whose thumbprint equals the fingerprint.
 */
export async function verifyNodeDocument(
  jws: string,
  jwks: unknown,
  expectedFingerprint: string,
): Promise<PinnedNode> {
  const parts = splitCompact(jws.trim(), 3);
  const header = parts ? decodeJsonSegment(parts[0] ?? '') : null;
  if (
    !header ||
    !hasOnlyMembers(header, ['alg', 'kid', 'typ']) ||
    header.alg !== SIGNING_ALG ||
    header.typ !== NODE_DOCUMENT_TYP ||
    typeof header.kid !== 'string'
  ) {
    throw new PinRefusedError('MALFORMED', 'the node document is not a signed Palisade node JWS');
  }
  const keys =
    typeof jwks === 'object' && jwks !== null && 'keys' in jwks && Array.isArray(jwks.keys)
      ? (jwks.keys as unknown[])
      : null;
  if (!keys) throw new PinRefusedError('MALFORMED', 'the JWKS has no keys');
  const candidate = keys.find(
    (k) => typeof k === 'object' && k !== null && (k as { kid?: unknown }).kid === header.kid,
  );
  let signing: SigningPublicJwk;
  try {
    signing = parseJwk(signingPublicJwkSchema, candidate, 'signing key', true);
  } catch {
    throw new PinRefusedError('MALFORMED', 'the JWKS has no signing key with the document’s kid');
  }
  const print = await jwkThumbprint(signing);
  if (print !== expectedFingerprint) {
    throw new PinRefusedError(
      'FINGERPRINT_MISMATCH',
      'the peer’s signing key does not match the fingerprint given: check it with the peer’s admin',
    );
  }
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jws.trim(), await importSigningPublicKey(signing), {
      algorithms: [SIGNING_ALG],
    }));
  } catch {
    throw new PinRefusedError('BAD_SIGNATURE', 'the node document signature does not verify');
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    throw new PinRefusedError('MALFORMED', 'the node document is not JSON');
  }
  const parsed = documentSchema.safeParse(value);
  if (!parsed.success) throw new PinRefusedError('MALFORMED', 'the node document is malformed');
  const document = parsed.data;
  // The encryption key must be one the signed document lists, not just anything in the JWKS.
  const listed = new Set(document.keys.filter((k) => k.use === 'enc').map((k) => k.kid));
  let encryption: EncryptionPublicJwk | undefined;
  for (const k of keys) {
    try {
      const jwk = parseJwk(encryptionPublicJwkSchema, k, 'encryption key', true);
      if (listed.has(jwk.kid) && (await jwkThumbprint(jwk)) === jwk.kid) encryption = jwk;
    } catch {
      /* not an encryption key */
    }
  }
  if (!encryption) {
    throw new PinRefusedError('NO_ENCRYPTION_KEY', 'the peer publishes no usable encryption key');
  }
  // The first listed encryption key is the current one (the JWKS lists the current set first).
  const first = document.keys.find((k) => k.use === 'enc');
  const current = keys
    .map((k) => {
      try {
        return parseJwk(encryptionPublicJwkSchema, k, 'encryption key', true);
      } catch {
        return null;
      }
    })
    .find((k) => k !== null && k.kid === first?.kid);
  return { document, signing, encryption: current ?? encryption, fingerprint: print };
}

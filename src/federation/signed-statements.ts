// Signed statements: compact JWS (EdDSA/Ed25519, kid) over exact bytes — an evidence capture
// statement or a dossier manifest — made with the node's current signing key and verified offline
// with nothing but a public JWK or JWKS. The only crypto the evidence domain needs, kept here.
import { CompactSign, compactVerify, errors as joseErrors } from 'jose';
import { decodeJsonSegment, hasOnlyMembers, splitCompact } from './compact.js';
import {
  importSigningPrivateKey,
  importSigningPublicKey,
  JwkError,
  signingPublicJwkSchema,
  SIGNING_ALG,
  type SigningPrivateJwk,
  type SigningPublicJwk,
} from './jwk-import.js';
import { fingerprint, type Jwks } from './keys.js';

/** The `typ` of an evidence capture statement. */
export const EVIDENCE_STATEMENT_TYP = 'palisade-evidence+jws';
/** The `typ` of a dossier manifest signature. */
export const DOSSIER_MANIFEST_TYP = 'palisade-dossier+jws';

export type StatementRefusal =
  | 'MALFORMED'
  | 'WRONG_ALG'
  | 'WRONG_TYP'
  | 'UNKNOWN_KEY'
  | 'BAD_SIGNATURE'
  | 'BAD_KEYS'
  | 'FINGERPRINT_MISMATCH';

export type StatementVerdict =
  | { ok: true; payload: Uint8Array; kid: string }
  | { ok: false; reason: StatementRefusal; message: string };

/** Signs with the node's current key; the evidence domain gets one of these, never the key. */
export interface StatementSigner {
  /** A compact JWS whose payload is exactly `payload`. */
  sign(payload: Uint8Array, typ: string): Promise<{ jws: string; kid: string }>;
  /** The node's public keys (what a recipient verifies with). */
  jwks(): Promise<Jwks>;
}

/** A signer over whatever key source holds the current key (the KeyRing re-reads rotations). */
export function createStatementSigner(keys: {
  signingKey(): Promise<SigningPrivateJwk>;
  jwks(): Promise<Jwks>;
}): StatementSigner {
  return {
    async sign(payload, typ) {
      const jwk = await keys.signingKey();
      const key = await importSigningPrivateKey(jwk);
      const jws = await new CompactSign(payload)
        .setProtectedHeader({ alg: SIGNING_ALG, kid: jwk.kid, typ })
        .sign(key);
      return { jws, kid: jwk.kid };
    },
    jwks: () => keys.jwks(),
  };
}

/** The Ed25519 signing keys of a JWKS (encryption keys and anything malformed are skipped). */
export function signingKeysOf(jwks: unknown): SigningPublicJwk[] {
  const keys =
    typeof jwks === 'object' && jwks !== null && Array.isArray((jwks as { keys?: unknown }).keys)
      ? (jwks as { keys: unknown[] }).keys
      : [jwks];
  return keys.flatMap((k) => {
    const parsed = signingPublicJwkSchema.safeParse(k);
    return parsed.success ? [parsed.data] : [];
  });
}

const refuse = (reason: StatementRefusal, message: string): StatementVerdict => ({
  ok: false,
  reason,
  message,
});

/**
 * Verifies a compact JWS against a public JWK or JWKS: alg pinned to EdDSA, typ checked, the key
 * chosen by kid (never by a key the token carries). With `pinnedFingerprint`, the key must also
 * have that RFC 7638 thumbprint, so a JWKS shipped next to the signature cannot vouch for itself.
 */
export async function verifyStatement(
  jws: string,
  jwks: unknown,
  options: { typ: string; pinnedFingerprint?: string },
): Promise<StatementVerdict> {
  const parts = splitCompact(jws.trim(), 3);
  if (!parts) {
    return refuse('MALFORMED', 'not a compact JWS');
  }
  const header = decodeJsonSegment(parts[0]!);
  if (!header) return refuse('MALFORMED', 'the JWS header is not a JSON object');
  if (header['alg'] !== SIGNING_ALG) return refuse('WRONG_ALG', 'the JWS alg must be EdDSA');
  if (header['typ'] !== options.typ)
    return refuse('WRONG_TYP', `the JWS typ must be ${options.typ}`);
  if (!hasOnlyMembers(header, ['alg', 'kid', 'typ'])) {
    // jwk/jku/x5u would let the token pick its own key; crit/b64 would change what is signed.
    return refuse('MALFORMED', 'the JWS header may hold only alg, kid and typ');
  }
  const kid = header['kid'];
  if (typeof kid !== 'string') return refuse('MALFORMED', 'the JWS header has no kid');
  const candidates = signingKeysOf(jwks);
  if (candidates.length === 0) return refuse('BAD_KEYS', 'no Ed25519 signing key in the JWKS');
  const jwk = candidates.find((k) => k.kid === kid);
  if (!jwk) return refuse('UNKNOWN_KEY', `no key with kid ${kid} in the JWKS`);
  if (options.pinnedFingerprint !== undefined) {
    if ((await fingerprint(jwk)) !== options.pinnedFingerprint) {
      return refuse('FINGERPRINT_MISMATCH', 'the signing key does not have the pinned fingerprint');
    }
  }
  let key: CryptoKey;
  try {
    key = await importSigningPublicKey(jwk);
  } catch (e) {
    if (e instanceof JwkError) return refuse('BAD_KEYS', e.message);
    throw e;
  }
  try {
    const { payload } = await compactVerify(jws.trim(), key, { algorithms: [SIGNING_ALG] });
    return { ok: true, payload, kid };
  } catch (e) {
    if (e instanceof joseErrors.JOSEError)
      return refuse('BAD_SIGNATURE', 'the signature does not verify');
    throw e;
  }
}

// Envelopes between nodes (an EdDSA-signed JWT inside an ECDH-ES+A256KW/A256GCM JWE), short-lived
// peer request tokens, and signed receipts. Checks run from cheapest and least trusting to the
// replay check, which runs last so that a forged message cannot burn a legitimate jti.
import { CompactEncrypt, CompactSign, compactDecrypt, compactVerify } from 'jose';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { decodeJsonSegment, hasOnlyMembers, splitCompact, utf8 } from './compact.js';
import {
  CONTENT_ENCRYPTION_ALG,
  importEncryptionPrivateKey,
  importEncryptionPublicKey,
  importSigningPrivateKey,
  importSigningPublicKey,
  KEY_MANAGEMENT_ALG,
  SIGNING_ALG,
  type EncryptionPrivateJwk,
  type EncryptionPublicJwk,
  type SigningPrivateJwk,
  type SigningPublicJwk,
} from './jwk-import.js';
import {
  BadSignatureError,
  DecryptFailedError,
  ExpiredError,
  MalformedError,
  MessageTypeNotAllowedError,
  NotYetValidError,
  ReplayError,
  SenderRevokedError,
  SenderSuspendedError,
  TooLargeError,
  TtlTooLongError,
  UnknownKeyError,
  UnknownSenderError,
  WrongAudienceError,
  type RefusalContext,
  type RefusalReason,
} from './refusals.js';

export * from './refusals.js';

export const MESSAGE_TYP = 'palisade-msg+jwt';
export const PEER_REQUEST_TYP = 'palisade-peer+jwt';
export const ACK_TYP = 'palisade-ack+jwt';
export const MAX_REQUEST_TOKEN_TTL_SECONDS = 300;

const encoder = new TextEncoder();
const JTI = /^[A-Za-z0-9_-]{22}$/;
const MAX_ID_LENGTH = 256;
// Wrapped A256GCM key (40 bytes), GCM IV (12 bytes) and tag (16 bytes), in base64url.
const ENCRYPTED_KEY_CHARS = 54;
const IV_CHARS = 16;
const TAG_CHARS = 22;

/** A fresh 128-bit random token id, base64url. */
export function newJti(): string {
  return randomBytes(16).toString('base64url');
}

const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

// ---------------------------------------------------------------------------------------------
// Contexts

export type SenderStatus = 'active' | 'suspended' | 'revoked';

/** What the peer registry knows about a sender. */
export interface SenderRecord {
  status: SenderStatus;
  /** 'partner' | 'association' | …: decides which message types it may send. */
  role: string;
  /** Its current public signing keys (during a rotation overlap, old and new). */
  signingKeys: readonly SigningPublicJwk[];
}

/**
 * Look a sender up by the (not yet verified) `iss`. Errors thrown here (the registry is down) are
 * passed through, not turned into refusals: the sender retries later.
 */
export type LookupSender = (iss: string) => Promise<SenderRecord | null>;

/**
 * Remembers jtis. `seen` must be atomic: it answers true if the jti was recorded before, and
 * otherwise records it, keeping it at least until `keepUntil` (epoch seconds, = exp + allowed skew,
 * past which the token is refused as expired anyway).
 */
export interface ReplayGuard {
  seen(jti: string, keepUntil: number): Promise<boolean>;
}

/** A replay guard for one process (tests, a single node in development). */
export class MemoryReplayGuard implements ReplayGuard {
  readonly #entries = new Map<string, number>();
  readonly #now: () => Date;
  #lastSweep = 0;

  constructor(options: { now?: () => Date } = {}) {
    this.#now = options.now ?? (() => new Date());
  }

  seen(jti: string, keepUntil: number): Promise<boolean> {
    const now = seconds(this.#now());
    // Entries past their retention are swept once a minute, so memory follows traffic in the window.
    if (now - this.#lastSweep >= 60) {
      for (const [k, until] of this.#entries) if (until <= now) this.#entries.delete(k);
      this.#lastSweep = now;
    }
    const until = this.#entries.get(jti);
    if (until !== undefined && until > now) return Promise.resolve(true);
    this.#entries.set(jti, keepUntil);
    return Promise.resolve(false);
  }

  get size(): number {
    return this.#entries.size;
  }
}

export interface OpenEnvelopeContext {
  /** This node's id: the only audience accepted. */
  selfId: string;
  /** Our private encryption keys, current and those in a rotation overlap; chosen by the JWE kid. */
  decryptionKeys: readonly EncryptionPrivateJwk[];
  lookupSender: LookupSender;
  /** The message types a sender of this role may send. */
  allowedMessageTypes(role: string): ReadonlySet<string>;
  /** Largest compact JWE accepted, in bytes; checked before anything is parsed. */
  maxBytes: number;
  maxClockSkewSeconds: number;
  /** Longest exp − iat accepted. */
  maxTtlSeconds: number;
  /** @default () => new Date() */
  now?: () => Date;
  replayGuard: ReplayGuard;
}

export interface OpenedEnvelope {
  senderId: string;
  sender: SenderRecord;
  messageType: string;
  payload: unknown;
  jti: string;
  /** Epoch seconds. */
  issuedAt: number;
  /** Epoch seconds. */
  expiresAt: number;
  signingKid: string;
  recipientKid: string;
}

// ---------------------------------------------------------------------------------------------
// Shared checks

interface Verified {
  claims: Record<string, unknown>;
  sender: SenderRecord;
  senderId: string;
  kid: string;
}

/**
 * Structure, sender and signature of a compact JWS with the given typ. The unverified `iss` is read
 * only to find the sender; nothing else in the claims is trusted before the signature verifies.
 */
async function verifySignedToken(
  jws: string,
  typ: string,
  lookupSender: LookupSender,
): Promise<Verified> {
  const parts = splitCompact(jws, 3);
  if (!parts) throw new MalformedError('not a compact JWS');
  const header = decodeJsonSegment(parts[0] ?? '');
  if (
    !header ||
    !hasOnlyMembers(header, ['alg', 'kid', 'typ']) ||
    header.alg !== SIGNING_ALG ||
    header.typ !== typ ||
    typeof header.kid !== 'string'
  ) {
    throw new MalformedError('unexpected JWS header');
  }
  const kid = header.kid;
  const unverified = decodeJsonSegment(parts[1] ?? '');
  const iss = unverified?.iss;
  if (!unverified || typeof iss !== 'string' || iss.length === 0 || iss.length > MAX_ID_LENGTH) {
    throw new MalformedError('claims are not a JSON object with an issuer');
  }
  const sender = await lookupSender(iss);
  if (!sender) throw new UnknownSenderError('the sender is not a known peer');
  const known: RefusalContext = { senderId: iss };
  if (sender.status === 'revoked') throw new SenderRevokedError('the sender is revoked', known);
  if (sender.status === 'suspended')
    throw new SenderSuspendedError('the sender is suspended', known);
  if (sender.status !== 'active')
    throw new UnknownSenderError('the sender is not an active peer', known);
  const jwk = sender.signingKeys.find((k) => k.kid === kid);
  if (!jwk)
    throw new UnknownKeyError(
      'signed with a key that is not among the sender’s current keys',
      known,
    );
  let key: CryptoKey;
  try {
    key = await importSigningPublicKey(jwk);
  } catch {
    throw new UnknownKeyError('the sender’s key on record is not a usable signing key', known);
  }
  try {
    await compactVerify(jws, key, { algorithms: [SIGNING_ALG] });
  } catch {
    throw new BadSignatureError('the signature does not verify', known);
  }
  return { claims: unverified, sender, senderId: iss, kid };
}

interface Window {
  now: number;
  maxClockSkewSeconds: number;
  maxTtlSeconds: number;
}

function checkWindow(iat: number, exp: number, w: Window, known: RefusalContext): void {
  if (exp <= iat) throw new MalformedError('exp is not after iat', known);
  if (iat > w.now + w.maxClockSkewSeconds)
    throw new NotYetValidError('issued in the future', known);
  if (w.now >= exp + w.maxClockSkewSeconds) throw new ExpiredError('expired', known);
  if (exp - iat > w.maxTtlSeconds) throw new TtlTooLongError('lifetime longer than allowed', known);
}

function checkSize(token: unknown, maxBytes: number, what: string): string {
  if (typeof token !== 'string') throw new MalformedError(`${what} is not a string`);
  // UTF-16 length ≤ UTF-8 length; anything non-ASCII is refused as malformed right after.
  if (token.length > maxBytes)
    throw new TooLargeError(`${what} is ${token.length} bytes, over the limit of ${maxBytes}`);
  return token;
}

const timestamp = z.number().int().nonnegative();
const baseClaims = {
  iss: z.string().min(1).max(MAX_ID_LENGTH),
  aud: z.string().min(1).max(MAX_ID_LENGTH),
  iat: timestamp,
  exp: timestamp,
  jti: z.string().regex(JTI),
};
const messageClaims = z.object({
  ...baseClaims,
  mt: z.string().min(1).max(128),
  payload: z.unknown(),
});
const requestClaims = z.object(baseClaims);

function nonEmpty(value: string, name: string): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) {
    throw new TypeError(
      `${name} must be a non-empty string of at most ${MAX_ID_LENGTH} characters`,
    );
  }
}

function lifetime(ttlSeconds: number, max: number): void {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > max) {
    throw new RangeError(`ttlSeconds must be a whole number between 1 and ${max}`);
  }
}

function chosenJti(jti: string | undefined): string {
  if (jti === undefined) return newJti();
  if (!JTI.test(jti)) throw new TypeError('jti must be 128 bits in base64url (22 characters)');
  return jti;
}

async function signJwt(
  claims: Record<string, unknown>,
  typ: string,
  key: SigningPrivateJwk,
): Promise<string> {
  return new CompactSign(encoder.encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ })
    .sign(await importSigningPrivateKey(key));
}

// ---------------------------------------------------------------------------------------------
// Envelopes

export interface SealEnvelopeInput {
  senderId: string;
  senderSigningKey: SigningPrivateJwk;
  recipientId: string;
  recipientEncryptionPublicJwk: EncryptionPublicJwk;
  messageType: string;
  /** Any JSON value; it is only ever read back after decryption and signature verification. */
  payload: unknown;
  ttlSeconds: number;
  now?: Date;
  /**
   * Reuse an id (the outbox message id) so that re-sealing a message after its envelope expired
   * keeps its idempotency key. @default a fresh random jti
   */
  jti?: string;
}

/** Sign, then encrypt for one recipient. Returns the compact JWE. */
export async function sealEnvelope(input: SealEnvelopeInput): Promise<string> {
  nonEmpty(input.senderId, 'senderId');
  nonEmpty(input.recipientId, 'recipientId');
  if (
    typeof input.messageType !== 'string' ||
    input.messageType.length === 0 ||
    input.messageType.length > 128
  ) {
    throw new TypeError('messageType must be a non-empty string of at most 128 characters');
  }
  if (input.payload === undefined) throw new TypeError('payload must be a JSON value');
  lifetime(input.ttlSeconds, Number.MAX_SAFE_INTEGER);
  const iat = seconds(input.now ?? new Date());
  const claims = {
    iss: input.senderId,
    aud: input.recipientId,
    iat,
    exp: iat + input.ttlSeconds,
    jti: chosenJti(input.jti),
    mt: input.messageType,
    payload: input.payload,
  };
  const jws = await signJwt(claims, MESSAGE_TYP, input.senderSigningKey);
  return new CompactEncrypt(encoder.encode(jws))
    .setProtectedHeader({
      alg: KEY_MANAGEMENT_ALG,
      enc: CONTENT_ENCRYPTION_ALG,
      kid: input.recipientEncryptionPublicJwk.kid,
      cty: 'JWT',
    })
    .encrypt(await importEncryptionPublicKey(input.recipientEncryptionPublicJwk));
}

/**
 * Decrypt, verify and accept an envelope, or throw the EnvelopeRefusedError that says why.
 * Any other exception comes from the context (registry, replay store) or our own keys, not from
 * the envelope.
 */
export async function openEnvelope(
  compact: string,
  ctx: OpenEnvelopeContext,
): Promise<OpenedEnvelope> {
  // 1. Size, before any parsing.
  checkSize(compact, ctx.maxBytes, 'envelope');

  // 2. JWE structure: five canonical segments, exactly the header we send.
  const parts = splitCompact(compact, 5);
  if (!parts) throw new MalformedError('not a compact JWE');
  const [h, encryptedKey, iv, , tag] = parts as [string, string, string, string, string];
  const header = decodeJsonSegment(h);
  if (
    !header ||
    !hasOnlyMembers(header, ['alg', 'enc', 'kid', 'cty', 'epk']) ||
    header.alg !== KEY_MANAGEMENT_ALG ||
    header.enc !== CONTENT_ENCRYPTION_ALG ||
    header.cty !== 'JWT' ||
    typeof header.kid !== 'string' ||
    typeof header.epk !== 'object' ||
    header.epk === null
  ) {
    throw new MalformedError('unexpected JWE header');
  }
  if (
    encryptedKey.length !== ENCRYPTED_KEY_CHARS ||
    iv.length !== IV_CHARS ||
    tag.length !== TAG_CHARS
  ) {
    throw new MalformedError('JWE segments have the wrong length');
  }
  const recipientKid = header.kid;

  // 3. Decrypt with the key the header names, algorithms pinned.
  const own = ctx.decryptionKeys.find((k) => k.kid === recipientKid);
  if (!own) throw new DecryptFailedError('not encrypted to a current key of this node');
  const decryptionKey = await importEncryptionPrivateKey(own);
  let plaintext: Uint8Array;
  try {
    ({ plaintext } = await compactDecrypt(compact, decryptionKey, {
      keyManagementAlgorithms: [KEY_MANAGEMENT_ALG],
      contentEncryptionAlgorithms: [CONTENT_ENCRYPTION_ALG],
    }));
  } catch {
    throw new DecryptFailedError('decryption failed');
  }
  const jws = utf8(plaintext);
  if (jws === null) throw new MalformedError('the decrypted content is not text');

  // 4–5. Sender (from the unverified iss), status, then signature by one of its current keys.
  const verified = await verifySignedToken(jws, MESSAGE_TYP, ctx.lookupSender);
  const known: RefusalContext = { senderId: verified.senderId };
  const parsed = messageClaims.safeParse(verified.claims);
  if (!parsed.success || !('payload' in verified.claims))
    throw new MalformedError('claims are malformed', known);
  const claims = parsed.data;
  const signed: RefusalContext = { ...known, jti: claims.jti, messageType: claims.mt };

  // 6. Audience.
  if (claims.aud !== ctx.selfId) throw new WrongAudienceError('addressed to another node', signed);

  // 7. Time window.
  checkWindow(
    claims.iat,
    claims.exp,
    { ...ctx, now: seconds((ctx.now ?? (() => new Date()))()) },
    signed,
  );

  // 8. Message type for the sender's role.
  if (!ctx.allowedMessageTypes(verified.sender.role).has(claims.mt)) {
    throw new MessageTypeNotAllowedError('this peer may not send this message type', signed);
  }

  // 9. Replay, last: only a message that passed everything else may record its jti.
  if (await ctx.replayGuard.seen(claims.jti, claims.exp + ctx.maxClockSkewSeconds)) {
    throw new ReplayError('already received', signed);
  }

  return {
    senderId: verified.senderId,
    sender: verified.sender,
    messageType: claims.mt,
    payload: claims.payload,
    jti: claims.jti,
    issuedAt: claims.iat,
    expiresAt: claims.exp,
    signingKid: verified.kid,
    recipientKid,
  };
}

// ---------------------------------------------------------------------------------------------
// Peer request tokens

export interface SignRequestTokenInput {
  issuerId: string;
  signingKey: SigningPrivateJwk;
  /** The node the request goes to. */
  audienceId: string;
  /** @default 60, at most 300 */
  ttlSeconds?: number;
  now?: Date;
}

/** A short-lived JWT a peer presents with a partner query. One token per request: the jti is single-use. */
export async function signRequestToken(input: SignRequestTokenInput): Promise<string> {
  nonEmpty(input.issuerId, 'issuerId');
  nonEmpty(input.audienceId, 'audienceId');
  const ttl = input.ttlSeconds ?? 60;
  lifetime(ttl, MAX_REQUEST_TOKEN_TTL_SECONDS);
  const iat = seconds(input.now ?? new Date());
  const claims = { iss: input.issuerId, aud: input.audienceId, iat, exp: iat + ttl, jti: newJti() };
  return signJwt(claims, PEER_REQUEST_TYP, input.signingKey);
}

export interface VerifyRequestTokenContext {
  selfId: string;
  lookupSender: LookupSender;
  maxClockSkewSeconds: number;
  /** @default 300 (never more) */
  maxTtlSeconds?: number;
  /** @default 4096 */
  maxBytes?: number;
  now?: () => Date;
  replayGuard: ReplayGuard;
}

export interface VerifiedRequestToken {
  senderId: string;
  sender: SenderRecord;
  jti: string;
  issuedAt: number;
  expiresAt: number;
  signingKid: string;
}

/** Verify a peer request token; the caller decides what the sender's role may query. */
export async function verifyRequestToken(
  token: string,
  ctx: VerifyRequestTokenContext,
): Promise<VerifiedRequestToken> {
  checkSize(token, ctx.maxBytes ?? 4096, 'request token');
  const verified = await verifySignedToken(token, PEER_REQUEST_TYP, ctx.lookupSender);
  const known: RefusalContext = { senderId: verified.senderId };
  const parsed = requestClaims.safeParse(verified.claims);
  if (!parsed.success) throw new MalformedError('claims are malformed', known);
  const claims = parsed.data;
  const signed: RefusalContext = { ...known, jti: claims.jti };
  if (claims.aud !== ctx.selfId) throw new WrongAudienceError('addressed to another node', signed);
  const maxTtlSeconds = Math.min(
    ctx.maxTtlSeconds ?? MAX_REQUEST_TOKEN_TTL_SECONDS,
    MAX_REQUEST_TOKEN_TTL_SECONDS,
  );
  const now = seconds((ctx.now ?? (() => new Date()))());
  checkWindow(
    claims.iat,
    claims.exp,
    { now, maxClockSkewSeconds: ctx.maxClockSkewSeconds, maxTtlSeconds },
    signed,
  );
  if (await ctx.replayGuard.seen(claims.jti, claims.exp + ctx.maxClockSkewSeconds)) {
    throw new ReplayError('token already used', signed);
  }
  return {
    senderId: verified.senderId,
    sender: verified.sender,
    jti: claims.jti,
    issuedAt: claims.iat,
    expiresAt: claims.exp,
    signingKid: verified.kid,
  };
}

// ---------------------------------------------------------------------------------------------
// Acknowledgements

export type AckStatus = 'accepted' | 'duplicate' | 'refused';

export interface SignAcknowledgementInput {
  /** The acknowledging node (the envelope's recipient). */
  signerId: string;
  signingKey: SigningPrivateJwk;
  /** The envelope's sender, to whom the receipt goes. */
  recipientId: string;
  status: AckStatus;
  /** For status 'refused'. */
  reason?: RefusalReason;
  receivedAt: Date;
  now?: Date;
}

/** A signed receipt for the envelope with this jti: proof for the sender's outbox that it arrived. */
export async function signAcknowledgement(
  jti: string,
  input: SignAcknowledgementInput,
): Promise<string> {
  if (!JTI.test(jti)) throw new TypeError('jti must be 128 bits in base64url (22 characters)');
  nonEmpty(input.signerId, 'signerId');
  nonEmpty(input.recipientId, 'recipientId');
  const claims = {
    iss: input.signerId,
    aud: input.recipientId,
    iat: seconds(input.now ?? new Date()),
    jti,
    receivedAt: seconds(input.receivedAt),
    status: input.status,
    ...(input.reason ? { reason: input.reason } : {}),
  };
  return signJwt(claims, ACK_TYP, input.signingKey);
}

export interface VerifyAcknowledgementContext {
  /** This node: the receipt's audience. */
  selfId: string;
  /** The peer the envelope was sent to, and its current public signing keys. */
  peerId: string;
  peerSigningKeys: readonly SigningPublicJwk[];
  /** The jti of the envelope this receipt must be for. */
  expectedJti?: string;
  /** @default 300 */
  maxClockSkewSeconds?: number;
  /** @default 4096 */
  maxBytes?: number;
  now?: () => Date;
}

export interface Acknowledgement {
  signerId: string;
  jti: string;
  status: AckStatus;
  reason?: string;
  /** Epoch seconds. */
  receivedAt: number;
  /** Epoch seconds. */
  issuedAt: number;
}

const ackClaims = z.object({
  iss: z.string().min(1).max(MAX_ID_LENGTH),
  aud: z.string().min(1).max(MAX_ID_LENGTH),
  iat: timestamp,
  jti: z.string().regex(JTI),
  receivedAt: timestamp,
  status: z.enum(['accepted', 'duplicate', 'refused']),
  reason: z.string().max(64).optional(),
});

/** Verify a receipt signed by the peer an envelope was sent to. Receipts do not expire: they are evidence. */
export async function verifyAcknowledgement(
  token: string,
  ctx: VerifyAcknowledgementContext,
): Promise<Acknowledgement> {
  checkSize(token, ctx.maxBytes ?? 4096, 'acknowledgement');
  const peer: SenderRecord = { status: 'active', role: 'peer', signingKeys: ctx.peerSigningKeys };
  const verified = await verifySignedToken(token, ACK_TYP, (iss) =>
    Promise.resolve(iss === ctx.peerId ? peer : null),
  );
  const known: RefusalContext = { senderId: verified.senderId };
  const parsed = ackClaims.safeParse(verified.claims);
  if (!parsed.success) throw new MalformedError('claims are malformed', known);
  const c = parsed.data;
  const signed: RefusalContext = { ...known, jti: c.jti };
  if (c.aud !== ctx.selfId) throw new WrongAudienceError('addressed to another node', signed);
  if (ctx.expectedJti !== undefined && c.jti !== ctx.expectedJti) {
    throw new MalformedError('the receipt is for another message', signed);
  }
  const now = seconds((ctx.now ?? (() => new Date()))());
  if (c.iat > now + (ctx.maxClockSkewSeconds ?? 300))
    throw new NotYetValidError('issued in the future', signed);
  return {
    signerId: verified.senderId,
    jti: c.jti,
    status: c.status,
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
    receivedAt: c.receivedAt,
    issuedAt: c.iat,
  };
}

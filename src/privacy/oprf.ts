// RFC 9497 OPRF, mode 0 (modeOPRF), suite ristretto255-SHA512: the function that turns an
// indicator into a token without the token holder ever seeing the key, nor the key holder the
// indicator. Also the ristretto255 group helpers (hash-to-group, element and scalar checks) that
// psi.ts shares, and RFC 9380 expand_message_xmd with SHA-512.
//
// The association holds skS and rate-limits blindEvaluate; a member blinds, the association
// evaluates, the member finalizes. Every element that crosses the wire is validated on receipt
// (canonical encoding, not the identity) because a malformed or small-order element is how
// an OPRF server key or a client's input leaks.
import { createHash, randomFillSync } from 'node:crypto';
import { getSodium, type Sodium } from './sodium.js';

/** A received group element is malformed, non-canonical or the identity. */
export class InvalidPointError extends Error {
  readonly code = 'INVALID_POINT';
  override readonly name = 'InvalidPointError';
  /** Position in the batch when the element came in a batch. */
  readonly index: number | undefined;
  constructor(message: string, index?: number) {
    super(index === undefined ? message : `${message} (at index ${index})`);
    this.index = index;
  }
}

/** A scalar (key or blind) is malformed, not reduced mod the group order, or zero. */
export class InvalidScalarError extends Error {
  readonly code = 'INVALID_SCALAR';
  override readonly name = 'InvalidScalarError';
}

/** RFC 9497 InvalidInputError: an input too long to encode, or one that hashes to the identity. */
export class InvalidInputError extends Error {
  readonly code = 'INVALID_INPUT';
  override readonly name = 'InvalidInputError';
}

/** RFC 9497 DeriveKeyPairError: 256 derivation attempts all gave the zero scalar. */
export class DeriveKeyPairError extends Error {
  readonly code = 'DERIVE_KEY_PAIR';
  override readonly name = 'DeriveKeyPairError';
}

/** Ne: a serialized ristretto255 element. */
export const ELEMENT_BYTES = 32;
/** Ns: a serialized scalar, little-endian, reduced mod the group order. */
export const SCALAR_BYTES = 32;
/** Nh: the OPRF output (SHA-512). */
export const OUTPUT_BYTES = 64;
/** Seed length for deriveKeyPair (Ns). */
export const SEED_BYTES = 32;
/** Inputs are length-prefixed with two bytes in Finalize, so they cannot be longer. */
export const MAX_INPUT_BYTES = 0xffff;

const encoder = new TextEncoder();

/** "OPRFV1-" || I2OSP(modeOPRF = 0, 1) || "-" || "ristretto255-SHA512" */
export const CONTEXT_STRING: Uint8Array = concatBytes(
  encoder.encode('OPRFV1-'),
  Uint8Array.of(0x00),
  encoder.encode('-ristretto255-SHA512'),
);
export const HASH_TO_GROUP_DST: Uint8Array = concatBytes(
  encoder.encode('HashToGroup-'),
  CONTEXT_STRING,
);
export const HASH_TO_SCALAR_DST: Uint8Array = concatBytes(
  encoder.encode('HashToScalar-'),
  CONTEXT_STRING,
);
// No dash after "DeriveKeyPair": that is the RFC's own pseudocode, and a dash gives another key.
const DERIVE_KEY_PAIR_DST: Uint8Array = concatBytes(
  encoder.encode('DeriveKeyPair'),
  CONTEXT_STRING,
);
const FINALIZE_LABEL = encoder.encode('Finalize');

// SHA-512: b_in_bytes and s_in_bytes (input block size) of RFC 9380 §5.3.1.
const SHA512_BYTES = 64;
const SHA512_BLOCK_BYTES = 128;

export interface OprfKeyPair {
  /** skS: keep secret; only the association's evaluator holds it. */
  secretKey: Uint8Array;
  /** pkS = skS·G. Mode 0 does not use it; published so a later VOPRF upgrade keeps the key. */
  publicKey: Uint8Array;
}

export interface BlindResult {
  /** The client's secret blinding scalar; needed to finalize, never sent. */
  blind: Uint8Array;
  /** blind·HashToGroup(input): what the client sends to the evaluator. */
  blindedElement: Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// Byte helpers

function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** I2OSP for the 1- and 2-byte lengths the RFCs use. */
function i2osp(value: number, length: 1 | 2): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** (8 * length)) {
    throw new RangeError(`I2OSP: ${value} does not fit in ${length} byte(s)`);
  }
  return length === 1 ? Uint8Array.of(value) : Uint8Array.of(value >>> 8, value & 0xff);
}

function toBytes(value: Uint8Array | string): Uint8Array {
  return typeof value === 'string' ? encoder.encode(value) : value;
}

function sha512(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha512');
  for (const p of parts) h.update(p);
  const d = h.digest();
  // A plain Uint8Array view, so callers never depend on Buffer's extra behaviour.
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

// Identity and zero checks read every byte, so their timing does not depend on where a
// secret scalar first differs from zero.
function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (const b of bytes) acc |= b;
  return acc === 0;
}

// ---------------------------------------------------------------------------------------------
// RFC 9380 §5.3.1 expand_message_xmd, H = SHA-512

/**
 * expand_message_xmd(msg, DST, len_in_bytes) with SHA-512 (RFC 9380 §5.3.1). A pure function.
 * DSTs longer than 255 bytes are refused rather than hashed (§5.3.3): every DST here is short.
 */
export function expandMessageXmd(
  msg: Uint8Array,
  dst: Uint8Array | string,
  lenInBytes: number,
): Uint8Array {
  const dstBytes = toBytes(dst);
  if (dstBytes.length === 0 || dstBytes.length > 255) {
    throw new RangeError(`expand_message_xmd: DST must be 1 to 255 bytes, got ${dstBytes.length}`);
  }
  if (!Number.isInteger(lenInBytes) || lenInBytes < 1 || lenInBytes > 0xffff) {
    throw new RangeError(`expand_message_xmd: len_in_bytes must be 1 to 65535, got ${lenInBytes}`);
  }
  const ell = Math.ceil(lenInBytes / SHA512_BYTES);
  if (ell > 255) {
    throw new RangeError(
      `expand_message_xmd: len_in_bytes ${lenInBytes} needs more than 255 blocks`,
    );
  }
  const dstPrime = concatBytes(dstBytes, i2osp(dstBytes.length, 1));
  const zPad = new Uint8Array(SHA512_BLOCK_BYTES);
  const b0 = sha512(zPad, msg, i2osp(lenInBytes, 2), i2osp(0, 1), dstPrime);
  const out = new Uint8Array(ell * SHA512_BYTES);
  let previous = sha512(b0, i2osp(1, 1), dstPrime);
  out.set(previous, 0);
  for (let i = 2; i <= ell; i++) {
    const mixed = new Uint8Array(SHA512_BYTES);
    for (let j = 0; j < SHA512_BYTES; j++) mixed[j] = (b0[j] ?? 0) ^ (previous[j] ?? 0);
    previous = sha512(mixed, i2osp(i, 1), dstPrime);
    out.set(previous, (i - 1) * SHA512_BYTES);
  }
  return out.subarray(0, lenInBytes);
}

// ---------------------------------------------------------------------------------------------
// ristretto255 group helpers (synchronous, given a ready libsodium; psi.ts uses them too)

/**
 * hash_to_ristretto255 (RFC 9380 App. B / RFC 9496 §4.3.4): 64 uniform bytes from
 * expand_message_xmd(SHA-512) through the one-way map. Refuses the identity as RFC 9497 does.
 */
export function hashToGroupWith(s: Sodium, msg: Uint8Array, dst: Uint8Array | string): Uint8Array {
  const element = s.crypto_core_ristretto255_from_hash(expandMessageXmd(msg, dst, 64));
  if (isAllZero(element)) throw new InvalidInputError('input hashes to the identity element');
  return element;
}

/** HashToScalar: 64 uniform bytes read little-endian and reduced mod the group order. */
export function hashToScalarWith(
  s: Sodium,
  msg: Uint8Array,
  dst: Uint8Array | string = HASH_TO_SCALAR_DST,
): Uint8Array {
  return s.crypto_core_ristretto255_scalar_reduce(expandMessageXmd(msg, dst, 64));
}

/**
 * DeserializeElement: 32 bytes, a canonical ristretto255 encoding, not the identity. libsodium's
 * is_valid_point accepts the identity (it is a valid encoding), hence the explicit check.
 */
export function deserializeElement(s: Sodium, bytes: Uint8Array, index?: number): Uint8Array {
  if (!(bytes instanceof Uint8Array) || bytes.length !== ELEMENT_BYTES) {
    throw new InvalidPointError(`element must be ${ELEMENT_BYTES} bytes`, index);
  }
  if (!s.crypto_core_ristretto255_is_valid_point(bytes)) {
    throw new InvalidPointError('element is not a canonical ristretto255 encoding', index);
  }
  if (isAllZero(bytes)) throw new InvalidPointError('element is the identity', index);
  return bytes;
}

/** DeserializeScalar for secrets we are handed: 32 bytes, already reduced (< L), not zero. */
export function deserializeScalar(s: Sodium, bytes: Uint8Array, what = 'scalar'): Uint8Array {
  if (!(bytes instanceof Uint8Array) || bytes.length !== SCALAR_BYTES) {
    throw new InvalidScalarError(`${what} must be ${SCALAR_BYTES} bytes`);
  }
  // Reducing a canonical scalar (zero-extended to 64 bytes) gives it back unchanged.
  const wide = new Uint8Array(64);
  wide.set(bytes);
  const reduced = s.crypto_core_ristretto255_scalar_reduce(wide);
  const canonical = s.memcmp(reduced, bytes);
  s.memzero(wide);
  s.memzero(reduced);
  if (!canonical) throw new InvalidScalarError(`${what} is not reduced mod the group order`);
  if (isAllZero(bytes)) throw new InvalidScalarError(`${what} is zero`);
  return bytes;
}

/**
 * A uniformly random non-zero scalar: 64 bytes from node's CSPRNG reduced mod L (bias < 2^-250).
 * Not libsodium's randombytes, which is about 30× slower in this build.
 */
export function randomScalar(s: Sodium): Uint8Array {
  const wide = new Uint8Array(64);
  for (;;) {
    randomFillSync(wide);
    const scalar = s.crypto_core_ristretto255_scalar_reduce(wide);
    if (!isAllZero(scalar)) {
      wide.fill(0);
      return scalar;
    }
  }
}

/** scalar·element; both must already be validated. A product equal to the identity is refused. */
export function scalarMultWith(s: Sodium, scalar: Uint8Array, element: Uint8Array): Uint8Array {
  try {
    return s.crypto_scalarmult_ristretto255(scalar, element);
  } catch {
    // libsodium throws when the product is the identity; with validated inputs that cannot
    // happen in a prime-order group, so it means a bad element slipped through.
    throw new InvalidPointError('scalar multiplication gave the identity');
  }
}

function checkInput(input: Uint8Array): void {
  if (!(input instanceof Uint8Array)) throw new InvalidInputError('input must be bytes');
  if (input.length > MAX_INPUT_BYTES) {
    throw new InvalidInputError(`input is ${input.length} bytes; at most ${MAX_INPUT_BYTES}`);
  }
}

function finalizeHash(input: Uint8Array, element: Uint8Array): Uint8Array {
  return sha512(i2osp(input.length, 2), input, i2osp(element.length, 2), element, FINALIZE_LABEL);
}

// ---------------------------------------------------------------------------------------------
// RFC 9497 §3.2 offline, §3.3.1 OPRF protocol (synchronous cores)

function deriveKeyPairWith(s: Sodium, seed: Uint8Array, info: Uint8Array | string): OprfKeyPair {
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_BYTES) {
    throw new DeriveKeyPairError(`seed must be ${SEED_BYTES} bytes`);
  }
  const infoBytes = toBytes(info);
  const deriveInput = concatBytes(seed, i2osp(infoBytes.length, 2), infoBytes, Uint8Array.of(0));
  for (let counter = 0; counter <= 255; counter++) {
    deriveInput[deriveInput.length - 1] = counter;
    const secretKey = hashToScalarWith(s, deriveInput, DERIVE_KEY_PAIR_DST);
    if (!isAllZero(secretKey)) {
      deriveInput.fill(0);
      return { secretKey, publicKey: s.crypto_scalarmult_ristretto255_base(secretKey) };
    }
  }
  throw new DeriveKeyPairError('no non-zero scalar in 256 attempts');
}

function blindWith(s: Sodium, input: Uint8Array, blindScalar?: Uint8Array): BlindResult {
  checkInput(input);
  const blind =
    blindScalar === undefined
      ? randomScalar(s)
      : deserializeScalar(s, blindScalar, 'blind').slice();
  const inputElement = hashToGroupWith(s, input, HASH_TO_GROUP_DST);
  return { blind, blindedElement: scalarMultWith(s, blind, inputElement) };
}

function blindEvaluateWith(
  s: Sodium,
  skS: Uint8Array,
  blindedElement: Uint8Array,
  index?: number,
): Uint8Array {
  return scalarMultWith(s, skS, deserializeElement(s, blindedElement, index));
}

function finalizeWith(
  s: Sodium,
  input: Uint8Array,
  blind: Uint8Array,
  evaluatedElement: Uint8Array,
  index?: number,
): Uint8Array {
  checkInput(input);
  deserializeScalar(s, blind, 'blind');
  const element = deserializeElement(s, evaluatedElement, index);
  const inverse = s.crypto_core_ristretto255_scalar_invert(blind);
  const unblinded = scalarMultWith(s, inverse, element);
  s.memzero(inverse);
  return finalizeHash(input, unblinded);
}

// ---------------------------------------------------------------------------------------------
// Public API

/** RFC 9497 §3.2.1 DeriveKeyPair(seed, info): deterministic, e.g. one key per period. */
export async function deriveKeyPair(
  seed: Uint8Array,
  info: Uint8Array | string,
): Promise<OprfKeyPair> {
  return deriveKeyPairWith(await getSodium(), seed, info);
}

/** HashToGroup(input) with the suite's DST. */
export async function hashToGroup(input: Uint8Array): Promise<Uint8Array> {
  checkInput(input);
  return hashToGroupWith(await getSodium(), input, HASH_TO_GROUP_DST);
}

/** HashToScalar(msg) with DST "HashToScalar-" || contextString. */
export async function hashToScalar(msg: Uint8Array): Promise<Uint8Array> {
  return hashToScalarWith(await getSodium(), msg, HASH_TO_SCALAR_DST);
}

/**
 * Client: Blind(input). `blindScalar` is for test vectors only; in use, leave it out so a fresh
 * random blind is drawn (reusing a blind links the requests that share it).
 */
export async function blind(input: Uint8Array, blindScalar?: Uint8Array): Promise<BlindResult> {
  return blindWith(await getSodium(), input, blindScalar);
}

/** Client: Blind for many inputs, one fresh blind each. */
export async function blindBatch(inputs: readonly Uint8Array[]): Promise<BlindResult[]> {
  const s = await getSodium();
  return inputs.map((input) => blindWith(s, input));
}

/** Server: BlindEvaluate(skS, blindedElement), after validating the element (InvalidPointError). */
export async function blindEvaluate(
  skS: Uint8Array,
  blindedElement: Uint8Array,
): Promise<Uint8Array> {
  const s = await getSodium();
  deserializeScalar(s, skS, 'skS');
  return blindEvaluateWith(s, skS, blindedElement);
}

/**
 * Server: BlindEvaluate for a batch. Every element is validated before any is evaluated, so a
 * batch with one bad element yields nothing (the error names its index).
 */
export async function blindEvaluateBatch(
  skS: Uint8Array,
  blindedElements: readonly Uint8Array[],
): Promise<Uint8Array[]> {
  const s = await getSodium();
  deserializeScalar(s, skS, 'skS');
  blindedElements.forEach((e, i) => deserializeElement(s, e, i));
  return blindedElements.map((e, i) => blindEvaluateWith(s, skS, e, i));
}

/** Client: Finalize(input, blind, evaluatedElement) → the 64-byte OPRF output. */
export async function finalize(
  input: Uint8Array,
  blindScalar: Uint8Array,
  evaluatedElement: Uint8Array,
): Promise<Uint8Array> {
  return finalizeWith(await getSodium(), input, blindScalar, evaluatedElement);
}

/** Client: Finalize for a batch; the three arrays are parallel. */
export async function finalizeBatch(
  inputs: readonly Uint8Array[],
  blinds: readonly Uint8Array[],
  evaluatedElements: readonly Uint8Array[],
): Promise<Uint8Array[]> {
  if (inputs.length !== blinds.length || inputs.length !== evaluatedElements.length) {
    throw new InvalidInputError(
      `finalizeBatch: ${inputs.length} inputs, ${blinds.length} blinds, ${evaluatedElements.length} evaluated elements`,
    );
  }
  const s = await getSodium();
  return inputs.map((input, i) =>
    finalizeWith(
      s,
      input,
      blinds[i] ?? new Uint8Array(),
      evaluatedElements[i] ?? new Uint8Array(),
      i,
    ),
  );
}

/** Server: Evaluate(skS, input), the unblinded evaluation (key holder's own inputs, tests). */
export async function evaluate(skS: Uint8Array, input: Uint8Array): Promise<Uint8Array> {
  const s = await getSodium();
  checkInput(input);
  deserializeScalar(s, skS, 'skS');
  const evaluated = scalarMultWith(s, skS, hashToGroupWith(s, input, HASH_TO_GROUP_DST));
  return finalizeHash(input, evaluated);
}

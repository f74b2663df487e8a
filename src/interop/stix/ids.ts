// Deterministic STIX identifiers: UUIDv5 (RFC 9562) over natural keys, so that exporting the same
// graph twice yields the same ids and consumers (MISP, OpenCTI) update objects instead of duplicating.
import { createHash } from 'node:crypto';

/** Palisade's own namespace for SDO ids (a fixed, random UUID). */
export const PALISADE_NAMESPACE = '5f0d6c1e-2b57-4f7a-9a2e-8c3f4d1b7a60';
/** The STIX 2.1 namespace for SCO ids (spec §2.9). */
export const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** UUIDv5 of `name` in `namespace`. */
export function uuidv5(namespace: string, name: string): string {
  if (!UUID.test(namespace)) throw new TypeError('namespace must be a lowercase UUID');
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** `<type>--<uuidv5(palisade, type ‖ 0x00 ‖ key)>`: the type is part of the name, so keys never collide across types. */
export function stixId(type: string, naturalKey: string): string {
  return `${type}--${uuidv5(PALISADE_NAMESPACE, `${type}\u0000${naturalKey}`)}`;
}

/** The id a STIX 2.1 producer computes for an SCO whose only id-contributing property is `value`. */
export function scoValueId(type: string, value: string): string {
  return `${type}--${uuidv5(STIX_SCO_NAMESPACE, JSON.stringify({ value }))}`;
}

export function isStixId(value: unknown, type?: string): value is string {
  if (typeof value !== 'string') return false;
  const at = value.indexOf('--');
  if (at <= 0) return false;
  if (type !== undefined && value.slice(0, at) !== type) return false;
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(
    value.slice(at + 2),
  );
}

// Waybill (tracking) numbers → `carrier:NUMBER`. A number is unique only within its carrier, so
// the carrier is part of the key whenever it is known; a bare `NUMBER` key is a weaker link.
import { aliasIndex, aliasSlug, describeChar, failure, prepare, rawOf, success } from './text.js';
import type { NormalizedIdentifier } from './types.js';

/** Canonical carrier codes and the names found in platform exports and seized paperwork. */
export const CARRIER_ALIASES = {
  sf: ['顺丰', '順豐', '顺丰速运', 'sf express', 'shunfeng', 'sfexpress'],
  ems: ['中国邮政ems', '邮政ems', 'china post ems', 'ems china'],
  chinapost: ['中国邮政', '邮政', 'china post', '邮政包裹'],
  yto: ['圆通', '圓通', '圆通速递', 'yto express'],
  zto: ['中通', '中通快递', 'zto express'],
  sto: ['申通', '申通快递', 'sto express'],
  yunda: ['韵达', '韻達', '韵达快递', 'yunda express'],
  best: ['百世', '百世快递', 'best express', 'htky'],
  jt: ['极兔', '極兔', 'j&t', 'j&t express', 'jt express', 'jtexpress'],
  deppon: ['德邦', '德邦快递', 'deppon express'],
  jd: ['京东', '京东物流', '京东快递', 'jd logistics', 'jdl', 'jingdong'],
  cainiao: ['菜鸟', '菜鳥', 'cainiao network'],
  yanwen: ['燕文', '燕文物流'],
  fourpx: ['4px', '递四方'],
  dhl: ['dhl express', '敦豪'],
  fedex: ['fed ex', 'federal express', '联邦快递'],
  ups: ['united parcel service', '联合包裹'],
  usps: ['us postal service', 'united states postal service'],
  tnt: [],
  aramex: [],
  royalmail: ['royal mail'],
  dpd: [],
  gls: [],
} as const satisfies Record<string, readonly string[]>;

export type KnownCarrier = keyof typeof CARRIER_ALIASES;
const CARRIER_INDEX = aliasIndex(CARRIER_ALIASES);

type CarrierResult = { ok: true; carrier: string; known: boolean } | { ok: false; reason: string };

/**
 * The canonical code for a carrier name or alias ("顺丰" → "sf"). A carrier missing from the table
 * is kept under its own slug: there are too many regional carriers to refuse the rest.
 */
export function resolveCarrier(name: string): CarrierResult {
  const slug = aliasSlug(name);
  const known = CARRIER_INDEX.get(slug);
  if (known !== undefined) return { ok: true, carrier: known, known: true };
  if (slug === '' || slug.length > 40) {
    return { ok: false, reason: 'carrier name must have 1–40 letters or digits' };
  }
  return { ok: true, carrier: slug, known: false };
}

export interface WaybillOptions {
  /** Carrier name or alias; optional (the value may also be given as `carrier:NUMBER`). */
  provider?: string;
}

/**
 * Normalizes a waybill number: uppercase, spaces and dashes removed, 8–40 letters and digits.
 * The key is `carrier:NUMBER` (`sf:SF1234567890123`) or the bare `NUMBER` without a carrier.
 */
export function normalizeWaybill(
  value: string,
  options: WaybillOptions = {},
): NormalizedIdentifier {
  const raw = rawOf(value);
  const prepared = prepare(value, 'waybill number');
  if (!prepared.ok) return failure('waybill', raw, prepared.reason);
  let text = prepared.text;

  let carrier: CarrierResult | undefined;
  if (typeof options.provider === 'string' && options.provider.trim() !== '') {
    carrier = resolveCarrier(options.provider);
    if (!carrier.ok) return failure('waybill', raw, carrier.reason);
  }
  // Numbers never contain ':', so anything before one is a carrier (a key given back as input).
  const colon = text.indexOf(':');
  if (colon >= 0) {
    const prefix = resolveCarrier(text.slice(0, colon));
    if (!prefix.ok) return failure('waybill', raw, `waybill carrier prefix: ${prefix.reason}`);
    if (carrier !== undefined && carrier.ok && carrier.carrier !== prefix.carrier) {
      return failure('waybill', raw, 'waybill number names a different carrier than the one given');
    }
    carrier = prefix;
    text = text.slice(colon + 1);
  }

  // Checked before uppercasing: 'ß'.toUpperCase() is 'SS', which would pass as letters.
  const compact = text.replace(/[\s-]+/gu, '');
  const bad = /[^A-Za-z0-9]/u.exec(compact);
  const number = compact.toUpperCase();
  if (bad !== null) {
    return failure(
      'waybill',
      raw,
      `waybill number contains ${describeChar(bad[0])}; only letters and digits are allowed`,
    );
  }
  if (number.length < 8 || number.length > 40) {
    return failure(
      'waybill',
      raw,
      `waybill number has ${number.length} characters; expected 8–40 letters and digits`,
    );
  }
  if (carrier === undefined || !carrier.ok) return success('waybill', raw, number, number);
  const details: Record<string, string> = { carrier: carrier.carrier };
  if (!carrier.known) details.knownCarrier = 'false';
  return success('waybill', raw, `${carrier.carrier}:${number}`, number, details);
}

// Phone numbers → E.164, judged by libphonenumber's full metadata so only dialable numbers become
// graph nodes.
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/max';
import { failure, prepare, rawOf, success } from './text.js';
import type { NormalizedIdentifier } from './types.js';

export interface PhoneOptions {
  /** ISO 3166 alpha-2 region the number was written in, for numbers without a country code. */
  region?: string;
}

// Not ISO, but what people type: accepting it beats refusing a whole import file.
const REGION_ALIASES: ReadonlyMap<string, string> = new Map([['UK', 'GB']]);

export type RegionResult =
  { ok: true; region: CountryCode | undefined } | { ok: false; reason: string };

/** Validates a default region: absent or blank means none, anything else must be a known code. */
export function parseRegion(region: unknown): RegionResult {
  if (region === undefined || region === null) return { ok: true, region: undefined };
  if (typeof region !== 'string') return { ok: false, reason: 'region must be a string' };
  const trimmed = region.trim().toUpperCase();
  if (trimmed === '') return { ok: true, region: undefined };
  const code = REGION_ALIASES.get(trimmed) ?? trimmed;
  if (!/^[A-Z]{2}$/.test(code)) {
    return { ok: false, reason: 'region must be an ISO 3166 alpha-2 code such as CN' };
  }
  if (!isSupportedCountry(code)) return { ok: false, reason: `unknown region ${code}` };
  return { ok: true, region: code };
}

function parse(text: string, region: CountryCode | undefined): PhoneNumber | undefined {
  return parsePhoneNumberFromString(text, region);
}

/**
 * Normalizes a phone number to E.164 (`+8613800138000`). Numbers without a country code need a
 * region; a leading "00" is read as "+" when the region's own international prefix is not "00"
 * or no region is known, because that is how most of the world writes it. An extension is kept in
 * `details.extension` but not in the key: a switchboard shared by two sellers links them.
 */
export function normalizePhone(value: string, options: PhoneOptions = {}): NormalizedIdentifier {
  const raw = rawOf(value);
  const prepared = prepare(value, 'phone number');
  if (!prepared.ok) return failure('phone', raw, prepared.reason);
  const regionResult = parseRegion(options.region);
  if (!regionResult.ok) return failure('phone', raw, regionResult.reason);
  const region = regionResult.region;
  const text = prepared.text;
  if (!/\d/.test(text)) return failure('phone', raw, 'phone number has no digits');

  const lead = text.replace(/^[\s([]+/, '');
  const international = lead.startsWith('+');
  const idd = lead.startsWith('00') ? `+${lead.slice(2)}` : undefined;

  let parsed: PhoneNumber | undefined;
  if (region !== undefined) {
    parsed = parse(text, region);
    if ((parsed === undefined || !parsed.isValid()) && idd !== undefined) {
      parsed = parse(idd, undefined) ?? parsed;
    }
  } else if (international) {
    parsed = parse(text, undefined);
  } else if (idd !== undefined) {
    parsed = parse(idd, undefined);
  } else {
    return failure(
      'phone',
      raw,
      'phone number has no country code (+…) and no default region was given',
    );
  }

  if (parsed === undefined) return failure('phone', raw, 'does not look like a phone number');
  if (!parsed.isValid()) {
    const where =
      region !== undefined && !international && idd === undefined
        ? `region ${region}`
        : `country code +${parsed.countryCallingCode}`;
    return failure('phone', raw, `not a valid phone number for ${where}`);
  }

  const details: Record<string, string> = {};
  if (parsed.country !== undefined) details.country = parsed.country;
  const type = parsed.getType();
  if (type !== undefined) details.type = type;
  if (parsed.ext !== undefined && parsed.ext !== '') details.extension = parsed.ext;
  return success('phone', raw, parsed.number, parsed.formatInternational(), details);
}

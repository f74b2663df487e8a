// The civil damages estimate of the seed's court practice: sales × profit rate × IP-contribution
// rate × punitive multiplier, per currency (different currencies are never added), from the
// units sold and prices recorded on listings. Exact: sales and products are exact decimals, and
// the damages are rounded once, half-up, to the currency's minor unit. Pure.
import { BadUserInputError } from '../server/errors.js';
import {
  addDec,
  compareDec,
  decOfNumber,
  formatExact,
  formatFixed,
  mulDec,
  parseDec,
  ZERO,
  type Dec,
} from './decimal.js';

export interface ListingSale {
  uid: string;
  url: string | null;
  title: string | null;
  unitsSold: number | null;
  price: number | null;
  currency: string | null;
}

export interface DamagesParameters {
  profitRate: number;
  ipContributionRate: number;
  punitiveMultiplier: number;
}

export const DEFAULT_PARAMETERS: DamagesParameters = {
  profitRate: 0.3,
  ipContributionRate: 0.5,
  punitiveMultiplier: 2,
};

export interface ListingInput {
  uid: string;
  url: string | null;
  title: string | null;
  unitsSold: number | null;
  price: string | null;
  currency: string | null;
  /** units × price, exact, in the listing's currency. */
  sales: string | null;
  included: boolean;
  /** Why a listing was left out (no units, no price, no or unknown currency). */
  reason: string | null;
}

export interface CurrencyLine {
  currency: string;
  listings: number;
  unitsSold: number;
  /** Σ units × price, to the minor unit (exact when prices have no more decimals than it). */
  grossSales: string;
  /** gross × profit rate, shown to the minor unit. */
  profit: string;
  /** profit × IP-contribution rate, shown to the minor unit. */
  ipShare: string;
  /** ipShare × punitive multiplier computed from the exact product, rounded half-up once. */
  damages: string;
  /** damages in minor units (cents, fen), as an integer string. */
  damagesMinorUnits: string;
}

export interface DamagesEstimate {
  parameters: { profitRate: string; ipContributionRate: string; punitiveMultiplier: string };
  lines: CurrencyLine[];
  listings: ListingInput[];
  rounding: string;
}

export const ROUNDING =
  'Sales and products are exact decimals; each amount is rounded once, half-up, to the currency minor unit.';

const RANGES: Record<keyof DamagesParameters, [string, string]> = {
  profitRate: ['0', '1'],
  ipContributionRate: ['0', '1'],
  punitiveMultiplier: ['1', '5'],
};

/** The parameters as exact decimals; BAD_USER_INPUT naming the argument when out of range. */
export function validateParameters(
  p: Partial<DamagesParameters> | null | undefined,
): Record<keyof DamagesParameters, Dec> {
  const merged = { ...DEFAULT_PARAMETERS, ...stripNulls(p ?? {}) };
  const out = {} as Record<keyof DamagesParameters, Dec>;
  for (const key of Object.keys(RANGES) as Array<keyof DamagesParameters>) {
    const [lo, hi] = RANGES[key];
    const value = merged[key];
    let d: Dec;
    try {
      d = decOfNumber(value);
    } catch {
      throw new BadUserInputError(`${key} must be between ${lo} and ${hi}`, { argument: key });
    }
    if (compareDec(d, parseDec(lo)) < 0 || compareDec(d, parseDec(hi)) > 0 || d.scale > 6) {
      throw new BadUserInputError(
        `${key} must be between ${lo} and ${hi}, with at most 6 decimals`,
        { argument: key },
      );
    }
    out[key] = d;
  }
  return out;
}

function stripNulls(p: Partial<Record<keyof DamagesParameters, number | null>>) {
  return Object.fromEntries(
    Object.entries(p).filter(([, v]) => v !== null && v !== undefined),
  ) as Partial<DamagesParameters>;
}

/** Minor-unit digits of an ISO 4217 currency (CNY 2, JPY 0), or undefined when unknown. */
export function minorDigits(currency: string): number | undefined {
  if (!/^[A-Z]{3}$/.test(currency)) return undefined;
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits;
  } catch {
    return undefined;
  }
}

export function estimateDamages(
  sales: readonly ListingSale[],
  parameters?: Partial<DamagesParameters> | null,
): DamagesEstimate {
  const p = validateParameters(parameters);
  const perCurrency = new Map<string, { listings: number; units: number; gross: Dec }>();
  const listings: ListingInput[] = sales.map((l) => {
    const base = {
      uid: l.uid,
      url: l.url,
      title: l.title,
      unitsSold: l.unitsSold,
      currency: l.currency,
    };
    const currency = l.currency?.toUpperCase() ?? null;
    const reason =
      l.unitsSold === null || !Number.isInteger(l.unitsSold) || l.unitsSold < 0
        ? 'no units sold recorded'
        : l.price === null || !Number.isFinite(l.price) || l.price < 0
          ? 'no price recorded'
          : currency === null || minorDigits(currency) === undefined
            ? 'no known currency recorded'
            : null;
    if (reason !== null || currency === null || l.price === null || l.unitsSold === null) {
      const price = l.price !== null && l.price >= 0 ? formatExact(decOfNumber(l.price)) : null;
      return { ...base, price, sales: null, included: false, reason };
    }
    const price = decOfNumber(l.price);
    const amount = mulDec(price, { int: BigInt(l.unitsSold), scale: 0 });
    const line = perCurrency.get(currency) ?? { listings: 0, units: 0, gross: ZERO };
    line.listings += 1;
    line.units += l.unitsSold;
    line.gross = addDec(line.gross, amount);
    perCurrency.set(currency, line);
    return {
      ...base,
      currency,
      price: formatExact(price),
      sales: formatExact(amount),
      included: true,
      reason: null,
    };
  });
  const lines = [...perCurrency.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, l]): CurrencyLine => {
      const digits = minorDigits(currency)!;
      const profit = mulDec(l.gross, p.profitRate);
      const ipShare = mulDec(profit, p.ipContributionRate);
      const damages = mulDec(ipShare, p.punitiveMultiplier);
      const fixed = formatFixed(damages, digits);
      return {
        currency,
        listings: l.listings,
        unitsSold: l.units,
        grossSales: formatFixed(l.gross, digits),
        profit: formatFixed(profit, digits),
        ipShare: formatFixed(ipShare, digits),
        damages: fixed,
        damagesMinorUnits: BigInt(fixed.replace('.', '')).toString(),
      };
    });
  return {
    parameters: {
      profitRate: formatExact(p.profitRate),
      ipContributionRate: formatExact(p.ipContributionRate),
      punitiveMultiplier: formatExact(p.punitiveMultiplier),
    },
    lines,
    listings,
    rounding: ROUNDING,
  };
}

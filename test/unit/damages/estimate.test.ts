// The damages formula computed exactly: per currency, half-up once at the end, parameters checked.
import { describe, expect, it } from 'vitest';
import { estimateDamages, type ListingSale } from '../../../src/damages/estimate.js';
import { decOfNumber, formatFixed, roundHalfUp } from '../../../src/damages/decimal.js';

const sale = (
  units: number | null,
  price: number | null,
  currency: string | null,
): ListingSale => ({
  uid: `Listing:${units}-${price}-${currency}`,
  url: null,
  title: null,
  unitsSold: units,
  price,
  currency,
});

describe('the damages estimate', () => {
  it('rounds half-up once, where floats would drift below the half cent', () => {
    // 7 × 0.05 = 0.35; × 0.3 × 0.5 × 2 = 0.105 exactly → 0.11 (floats give 0.10499…).
    const [line] = estimateDamages([sale(7, 0.05, 'CNY')]).lines;
    expect(line).toMatchObject({ grossSales: '0.35', damages: '0.11', damagesMinorUnits: '11' });
  });

  it('never adds different currencies and uses each one minor unit', () => {
    const e = estimateDamages([sale(3, 1000, 'JPY'), sale(2, 10.5, 'usd'), sale(1, 1.25, 'USD')]);
    expect(e.lines.map((l) => [l.currency, l.grossSales, l.damages])).toEqual([
      ['JPY', '3000', '900'],
      ['USD', '22.25', '6.68'],
    ]);
  });

  it('shows which listings it left out and why', () => {
    const e = estimateDamages([sale(null, 1, 'CNY'), sale(1, null, 'CNY'), sale(1, 1, null)]);
    expect(e.lines).toEqual([]);
    expect(e.listings.map((l) => l.reason)).toEqual([
      'no units sold recorded',
      'no price recorded',
      'no known currency recorded',
    ]);
  });

  it('refuses parameters out of range, naming the argument', () => {
    for (const [name, value] of [
      ['profitRate', 1.01],
      ['ipContributionRate', -0.1],
      ['punitiveMultiplier', 0.5],
      ['punitiveMultiplier', 6],
    ] as const) {
      expect(() => estimateDamages([], { [name]: value })).toThrow(
        expect.objectContaining({ extensions: expect.objectContaining({ argument: name }) }),
      );
    }
  });

  it('keeps decimals exact', () => {
    expect(formatFixed(decOfNumber(0.1 + 0.2 - 0.30000000000000004), 2)).toBe('0.00');
    expect(formatFixed(roundHalfUp(decOfNumber(2.675), 2), 2)).toBe('2.68');
  });
});

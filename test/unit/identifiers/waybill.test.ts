// Waybill numbers: compacted and uppercased, keyed with their carrier because numbers are only
// unique per carrier.
import { describe, expect, it } from 'vitest';
import { normalizeWaybill, resolveCarrier } from '../../../src/identifiers/index.js';
import { accepted, refused } from './helpers.js';

describe('waybill numbers', () => {
  it('keys by carrier and compacted, uppercased number', () => {
    expect(accepted(normalizeWaybill('sf 1234-5678-9012', { provider: '顺丰' })).key).toBe(
      'sf:SF123456789012',
    );
    expect(accepted(normalizeWaybill('7700 1234 5678', { provider: 'ZTO Express' })).key).toBe(
      'zto:770012345678',
    );
  });

  it('keys by the number alone when the carrier is unknown', () => {
    const result = accepted(normalizeWaybill('lx123456789cn'));
    expect(result.key).toBe('LX123456789CN');
    expect(result.details).toBeUndefined();
  });

  it('reads carrier aliases and keeps carriers outside the table under their own name', () => {
    expect(resolveCarrier('顺丰速运')).toMatchObject({ carrier: 'sf', known: true });
    expect(resolveCarrier('J&T Express')).toMatchObject({ carrier: 'jt', known: true });
    const result = accepted(normalizeWaybill('AB12345678', { provider: 'Some Local Courier' }));
    expect(result.key).toBe('somelocalcourier:AB12345678');
    expect(result.details?.knownCarrier).toBe('false');
  });

  it('refuses numbers of the wrong length or with other characters', () => {
    expect(refused(normalizeWaybill('1234567')).reason).toMatch(/7 characters; expected 8–40/);
    expect(refused(normalizeWaybill('A'.repeat(41))).reason).toMatch(/41 characters/);
    expect(refused(normalizeWaybill('LX123456789CN#')).reason).toMatch(/'#'/);
    expect(refused(normalizeWaybill('ßßßß1234')).reason).toMatch(/'ß'/);
  });

  it('accepts its own key back as input, but not with a conflicting carrier', () => {
    expect(accepted(normalizeWaybill('sf:SF123456789012')).key).toBe('sf:SF123456789012');
    expect(refused(normalizeWaybill('sf:SF123456789012', { provider: 'ems' })).reason).toMatch(
      /different carrier/,
    );
  });
});

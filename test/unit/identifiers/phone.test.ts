// Phone numbers: every way a Chinese mobile number is written becomes one E.164 key.
import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../../src/identifiers/index.js';
import { accepted, refused } from './helpers.js';

describe('phone numbers', () => {
  it.each([
    ['138 0013 8000', 'CN'],
    ['+86 138-0013-8000', undefined],
    ['0086 13800138000', 'CN'],
    ['0086 13800138000', undefined],
    ['(+86)13800138000', undefined],
    ['86-138-0013-8000', 'CN'],
    ['１３８００１３８０００', 'CN'],
    ['0086 13800138000', 'US'],
  ])('%s (region %s) becomes +8613800138000', (value, region) => {
    const result = accepted(normalizePhone(value, { region }));
    expect(result.key).toBe('+8613800138000');
    expect(result.details).toMatchObject({ country: 'CN', type: 'MOBILE' });
    expect(result.raw).toBe(value);
  });

  it('uses the default region of each call, not a global one', () => {
    expect(accepted(normalizePhone('020 7946 0958', { region: 'GB' })).key).toBe('+442079460958');
    expect(accepted(normalizePhone('011 86 138 0013 8000', { region: 'us' })).key).toBe(
      '+8613800138000',
    );
  });

  it('refuses numbers that are not valid for their region, saying so', () => {
    expect(refused(normalizePhone('12345', { region: 'CN' })).reason).toBe(
      'not a valid phone number for region CN',
    );
    expect(refused(normalizePhone('13800138000', { region: 'US' })).reason).toMatch(
      /not a valid phone number for region US/,
    );
    expect(refused(normalizePhone('+86 138 0013 800')).reason).toMatch(/country code \+86/);
  });

  it('asks for a region when a national number has no country code', () => {
    expect(refused(normalizePhone('13800138000')).reason).toMatch(/no default region/);
  });

  it('refuses unknown regions and text without digits', () => {
    expect(refused(normalizePhone('13800138000', { region: 'XX' })).reason).toMatch(/region XX/);
    expect(refused(normalizePhone('13800138000', { region: 'China' })).reason).toMatch(/alpha-2/);
    expect(refused(normalizePhone('call me', { region: 'CN' })).reason).toMatch(/no digits/);
  });

  it('keeps an extension in details but not in the key', () => {
    const result = accepted(normalizePhone('+86 138 0013 8000 ext. 12'));
    expect(result.key).toBe('+8613800138000');
    expect(result.details?.extension).toBe('12');
  });

  it('shows the number in international format', () => {
    expect(accepted(normalizePhone('13800138000', { region: 'CN' })).display).toBe(
      '+86 138 0013 8000',
    );
  });
});

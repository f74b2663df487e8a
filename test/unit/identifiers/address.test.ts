// Addresses: the same place written with abbreviations, punctuation, fullwidth digits or
// traditional characters gets one key; the city can be picked out for coarse sharing.
import { describe, expect, it } from 'vitest';
import { coarsenAddressToCity, normalizeAddress } from '../../../src/identifiers/index.js';
import { accepted, refused } from './helpers.js';

const key = (value: string): string => accepted(normalizeAddress(value)).key;

describe('addresses', () => {
  it('expands abbreviations so short and long forms match', () => {
    expect(key('Rm 1203, 12/F, Bldg 5, No. 18 Nanjing Rd., Huangpu Dist.')).toBe(
      key('Room 1203 12 Floor Building 5 Number 18 Nanjing Road Huangpu District'),
    );
    expect(key('18 Main St.')).toBe('18 main street');
    expect(key('5 Ocean Ave, Fl 3')).toBe('5 ocean avenue floor 3');
  });

  it('folds case, punctuation and whitespace', () => {
    expect(key('  18   MAIN street;  (rear) ')).toBe('18 main street rear');
  });

  it('turns fullwidth digits and CJK punctuation into plain text', () => {
    expect(key('广东省深圳市南山区科技园（南区）１２号')).toBe('广东省深圳市南山区科技园南区12号');
  });

  it('matches traditional and simplified forms of common address characters', () => {
    expect(key('廣東省深圳市南山區科技園12號')).toBe(key('广东省深圳市南山区科技园12号'));
  });

  it('ignores spaces between Chinese parts', () => {
    expect(key('中国 北京市 朝阳区 建国路 88 号')).toBe('中国北京市朝阳区建国路88号');
  });

  it('keeps the raw text for display', () => {
    const result = accepted(normalizeAddress(' 18 Main St. '));
    expect(result.raw).toBe(' 18 Main St. ');
    expect(result.display).toBe('18 Main St.');
  });

  it('treats words that are also JavaScript property names as plain words', () => {
    expect(key('1 Constructor Rd, toString Lane')).toBe('1 constructor road tostring lane');
  });

  it('refuses text with no letters or digits', () => {
    expect(refused(normalizeAddress('，。、')).reason).toMatch(/no letters or digits/);
  });
});

describe('coarsening an address to its city', () => {
  it.each([
    ['广东省深圳市南山区科技园12号', '深圳市'],
    ['浙江义乌市福田街道', '义乌市'],
    ['中国北京市朝阳区建国路88号', '北京市'],
    ['上海黄浦区南京东路1号', '上海市'],
    ['123 Main St., Springfield, IL 62704, USA', 'springfield'],
    ['No. 5 Industrial Rd, Shenzhen City, Guangdong Province, China', 'shenzhen'],
    ['Unit 3, 8 Harbour Road, Wan Chai, Hong Kong', 'hong kong'],
  ])('%s → %s', (address, city) => {
    expect(coarsenAddressToCity(address)).toBe(city);
    expect(coarsenAddressToCity(normalizeAddress(address))).toBe(city);
    expect(accepted(normalizeAddress(address)).details?.city).toBe(city);
  });

  it('answers null when the city cannot be told cheaply', () => {
    expect(coarsenAddressToCity('南山区科技园12号')).toBeNull();
    expect(coarsenAddressToCity('18 Main Street')).toBeNull();
    expect(coarsenAddressToCity('')).toBeNull();
  });
});

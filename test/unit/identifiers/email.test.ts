// Email addresses: provider aliasing undone where the provider defines it, and only there.
import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../../src/identifiers/index.js';
import { accepted, refused } from './helpers.js';

const key = (value: string): string => accepted(normalizeEmail(value)).key;

describe('email addresses', () => {
  it('drops Gmail dots and +tags and folds googlemail.com into gmail.com', () => {
    expect(key('Fake.Seller+shop1@gmail.com')).toBe('fakeseller@gmail.com');
    expect(key('f.a.k.e.seller+x@GoogleMail.com')).toBe('fakeseller@gmail.com');
    expect(key('  FAKESELLER@GMAIL.COM ')).toBe('fakeseller@gmail.com');
  });

  it('drops Outlook/Hotmail/Live +tags but keeps their dots', () => {
    expect(key('Fake.Seller+ebay@hotmail.com')).toBe('fake.seller@hotmail.com');
    expect(key('fake.seller+x@outlook.com')).toBe('fake.seller@outlook.com');
    expect(key('fake.seller+x@live.com')).toBe('fake.seller@live.com');
  });

  it('only lowercases QQ, 163 and other providers', () => {
    expect(key('Fake.Seller+x@QQ.com')).toBe('fake.seller+x@qq.com');
    expect(key('Fake.Seller+x@163.com')).toBe('fake.seller+x@163.com');
    expect(key('Fake.Seller+x@example.com')).toBe('fake.seller+x@example.com');
  });

  it('turns an IDN domain into ASCII and shows it in Unicode', () => {
    const result = accepted(normalizeEmail('Shop@例子.中国'));
    expect(result.key).toBe('shop@xn--fsqu00a.xn--fiqs8s');
    expect(result.display).toBe('Shop@例子.中国');
  });

  it('accepts fullwidth characters and a mailto: prefix', () => {
    expect(key('ｓｈｏｐ＠ｅｘａｍｐｌｅ．ｃｏｍ')).toBe('shop@example.com');
    expect(key('mailto:Shop@Example.com')).toBe('shop@example.com');
  });

  it('refuses what is not an email address, naming the problem', () => {
    expect(refused(normalizeEmail('fake.seller')).reason).toMatch(/no '@'/);
    expect(refused(normalizeEmail('seller@localhost')).reason).toMatch(/not a valid email/);
    expect(refused(normalizeEmail('seller@exa mple.com')).reason).toMatch(/whitespace/);
    expect(refused(normalizeEmail('+tag@gmail.com')).reason).toMatch(/no mailbox name/);
  });
});

// Domains key by what one party registers; URLs by one canonical spelling without tracking noise.
import { describe, expect, it } from 'vitest';
import { isTrackingParam, normalizeDomain, normalizeUrl } from '../../../src/identifiers/index.js';
import { accepted, refused } from './helpers.js';

describe('domains', () => {
  it('keys by the registrable domain, keeping the hostname in details', () => {
    const result = accepted(normalizeDomain('WWW.Shop.Example.co.uk.'));
    expect(result.key).toBe('example.co.uk');
    expect(result.details).toMatchObject({
      hostname: 'www.shop.example.co.uk',
      publicSuffix: 'co.uk',
    });
  });

  it('turns an IDN domain into ASCII before finding its registrable part', () => {
    const result = accepted(normalizeDomain('www.例子.中国'));
    expect(result.key).toBe('xn--fsqu00a.xn--fiqs8s');
    expect(result.display).toBe('例子.中国');
    expect(accepted(normalizeDomain('ＥＸＡＭＰＬＥ．ｃｏｍ')).key).toBe('example.com');
  });

  it('keeps each storefront on a hosting platform apart', () => {
    expect(accepted(normalizeDomain('fake-brand.myshopify.com')).key).toBe(
      'fake-brand.myshopify.com',
    );
  });

  it('takes the host of a URL or host:port', () => {
    expect(accepted(normalizeDomain('https://shop.example.com/item?id=1')).key).toBe('example.com');
    expect(accepted(normalizeDomain('shop.example.com:8080')).key).toBe('example.com');
  });

  it('keeps IP addresses as they are, marked as IPs', () => {
    expect(accepted(normalizeDomain('203.0.113.7'))).toMatchObject({
      key: '203.0.113.7',
      details: { ip: 'true' },
    });
    expect(accepted(normalizeDomain('[2001:DB8::0:1]')).key).toBe('2001:db8::1');
  });

  it('refuses public suffixes, unknown TLDs and malformed names', () => {
    expect(refused(normalizeDomain('co.uk')).reason).toMatch(/public suffix/);
    expect(refused(normalizeDomain('shop.notarealtld')).reason).toMatch(/unknown top-level domain/);
    expect(refused(normalizeDomain('localhost')).reason).toMatch(/no top-level domain/);
    expect(refused(normalizeDomain('exa%41mple.com')).reason).toMatch(/'%'/);
    expect(refused(normalizeDomain('a..example.com')).reason).toMatch(/empty label/);
  });
});

describe('URLs', () => {
  const key = (value: string): string => accepted(normalizeUrl(value)).key;

  it('removes tracking parameters and sorts the rest', () => {
    expect(
      key(
        'https://item.taobao.com/item.htm?spm=a230r.1.14.1&id=6543210&utm_source=wechat&scm=1007&fbclid=x&gclid=y',
      ),
    ).toBe('https://item.taobao.com/item.htm?id=6543210');
    expect(key('https://shop.example.com/p?b=2&a=1&UTM_Medium=x')).toBe(
      'https://shop.example.com/p?a=1&b=2',
    );
  });

  it('assumes https, lowercases the host and drops default port, fragment and trailing slash', () => {
    expect(key('Shop.EXAMPLE.com:443/Item/42/#reviews')).toBe('https://shop.example.com/Item/42');
    expect(key('http://shop.example.com:80')).toBe('http://shop.example.com/');
  });

  it('gives one key to the same page spelled differently', () => {
    const a = key('https://user:pw@shop.example.com/a/%7euser/%e4%b8%ad/?utm_campaign=x');
    const b = key('shop.example.com/a/~user/中');
    expect(a).toBe(b);
  });

  it('keeps single-page-app routes in the fragment', () => {
    expect(key('https://m.example.com/#/item/42')).toBe('https://m.example.com/#/item/42');
  });

  it('turns an IDN host into ASCII and records the registrable domain', () => {
    const result = accepted(normalizeUrl('http://商店.例子.中国/路径'));
    expect(result.key).toBe('http://xn--czrs0t.xn--fsqu00a.xn--fiqs8s/%E8%B7%AF%E5%BE%84');
    expect(result.display).toBe('http://商店.例子.中国/路径');
    expect(result.details?.domain).toBe('xn--fsqu00a.xn--fiqs8s');
  });

  it('refuses other schemes and unparseable URLs', () => {
    expect(refused(normalizeUrl('javascript:alert(1)')).reason).toMatch(/scheme 'javascript'/);
    expect(refused(normalizeUrl('https://exa mple.com/')).reason).toMatch(/URL/);
  });

  it('knows the common tracking parameters', () => {
    for (const name of ['utm_source', 'spm', 'scm', 'fbclid', 'gclid', 'msclkid']) {
      expect(isTrackingParam(name)).toBe(true);
    }
    expect(isTrackingParam('id')).toBe(false);
  });
});

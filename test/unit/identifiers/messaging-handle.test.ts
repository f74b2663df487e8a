// Messaging handles: platform aliases fold to one name; each platform's handle rules apply.
import { describe, expect, it } from 'vitest';
import {
  normalizeMessagingHandle,
  resolveMessagingPlatform,
} from '../../../src/identifiers/index.js';
import { accepted, refused } from './helpers.js';

const key = (value: string, provider: string, region?: string): string =>
  accepted(normalizeMessagingHandle(value, { provider, region })).key;

describe('messaging handles', () => {
  it('reads platform aliases', () => {
    expect(resolveMessagingPlatform('微信')).toBe('wechat');
    expect(resolveMessagingPlatform('WhatsApp')).toBe('whatsapp');
    expect(resolveMessagingPlatform('TG')).toBe('telegram');
  });

  it('lowercases usernames and strips a leading @ or profile link', () => {
    expect(key('@Fake_Seller', 'Telegram')).toBe('telegram:fake_seller');
    expect(key('https://t.me/Fake_Seller', 'telegram')).toBe('telegram:fake_seller');
    expect(key('FakeSeller888', '微信')).toBe('wechat:fakeseller888');
  });

  it('keys WhatsApp by the E.164 phone number, however it is written', () => {
    expect(key('138 0013 8000', 'WhatsApp', 'CN')).toBe('whatsapp:+8613800138000');
    expect(key('+86 138-0013-8000', 'whatsapp')).toBe('whatsapp:+8613800138000');
    expect(key('https://wa.me/8613800138000', 'whatsapp')).toBe('whatsapp:+8613800138000');
    expect(
      refused(normalizeMessagingHandle('fake_seller', { provider: 'whatsapp' })).reason,
    ).toMatch(/whatsapp/);
  });

  it('keys QQ by its number, 5–12 digits', () => {
    expect(key('12345678', 'QQ')).toBe('qq:12345678');
    expect(key('12345678@qq.com', 'qq')).toBe('qq:12345678');
    expect(refused(normalizeMessagingHandle('1234', { provider: 'qq' })).reason).toMatch(/5–12/);
    expect(refused(normalizeMessagingHandle('abcdef', { provider: 'qq' })).reason).toMatch(/QQ/);
  });

  it('checks Telegram username syntax', () => {
    expect(refused(normalizeMessagingHandle('bad-name', { provider: 'telegram' })).reason).toMatch(
      /Telegram usernames/,
    );
  });

  it('keeps handles of platforms outside the table under their own name', () => {
    const result = accepted(normalizeMessagingHandle('@Seller', { provider: 'Threema' }));
    expect(result.key).toBe('threema:seller');
    expect(result.details?.knownPlatform).toBe('false');
    expect(accepted(normalizeMessagingHandle('x_1', { provider: 'constructor' })).key).toBe(
      'constructor:x_1',
    );
  });

  it('needs a platform, and accepts its own key back as input', () => {
    expect(refused(normalizeMessagingHandle('seller')).reason).toMatch(/needs its platform/);
    expect(key('wechat:abc', '')).toBe('wechat:abc');
    expect(key('live:Seller.1', 'skype')).toBe('skype:live:seller.1');
  });
});

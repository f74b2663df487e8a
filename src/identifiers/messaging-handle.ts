// Messaging handles → `platform:handle`, by each platform's own rules (phone-number platforms
// key by E.164, QQ by its number, username platforms by the lowercase username).
import { normalizePhone, parseRegion } from './phone.js';
import { aliasIndex, aliasSlug, describeChar, failure, prepare, rawOf, success } from './text.js';
import type { NormalizedIdentifier } from './types.js';

type HandleStyle =
  /** The account is a phone number. */
  | 'phone'
  /** A username, or a phone number when it is written as one. */
  | 'handleOrPhone'
  /** A username only. */
  | 'handle'
  /** A QQ number. */
  | 'qq';

interface PlatformRule {
  style: HandleStyle;
  aliases: readonly string[];
  /** Link prefixes that wrap a handle ("t.me/name"). */
  linkPrefixes?: readonly string[];
  /** The platform's own username syntax, checked after lowercasing. */
  pattern?: RegExp;
  patternHint?: string;
}

const PLATFORMS = {
  wechat: {
    style: 'handleOrPhone',
    aliases: ['微信', '微信号', 'weixin', 'wx', 'wechat id', 'weixin id'],
  },
  whatsapp: {
    style: 'phone',
    aliases: ['whats app', 'wa', 'wapp'],
    linkPrefixes: ['wa.me/', 'api.whatsapp.com/send?phone='],
  },
  telegram: {
    style: 'handleOrPhone',
    aliases: ['tg', 'telegram messenger', '电报', '纸飞机', '飛機'],
    linkPrefixes: ['t.me/', 'telegram.me/', 'telegram.dog/'],
    pattern: /^[a-z0-9_]{4,32}$/,
    patternHint: 'Telegram usernames are 4–32 letters, digits or underscores',
  },
  line: {
    style: 'handle',
    aliases: ['line app', 'naver line', '连我'],
    linkPrefixes: ['line.me/ti/p/~', 'line.me/r/ti/p/~'],
  },
  qq: { style: 'qq', aliases: ['腾讯qq', 'qq号', 'qq号码', 'tencent qq'] },
  skype: { style: 'handle', aliases: [] },
  signal: { style: 'handleOrPhone', aliases: [] },
  viber: { style: 'phone', aliases: [] },
  zalo: { style: 'phone', aliases: [] },
  kakaotalk: { style: 'handle', aliases: ['kakao', 'kakao talk', '카카오톡'] },
  messenger: {
    style: 'handle',
    aliases: ['facebook messenger', 'fb messenger'],
    linkPrefixes: ['m.me/'],
  },
  instagram: { style: 'handle', aliases: ['ig', 'insta'], linkPrefixes: ['instagram.com/'] },
  discord: { style: 'handle', aliases: [] },
} as const satisfies Record<string, PlatformRule>;

export type MessagingPlatform = keyof typeof PLATFORMS;
export const MESSAGING_PLATFORMS = Object.keys(PLATFORMS) as readonly MessagingPlatform[];

const PLATFORM_RULES: ReadonlyMap<string, PlatformRule> = new Map(Object.entries(PLATFORMS));

const PLATFORM_INDEX = aliasIndex(
  Object.fromEntries(Object.entries(PLATFORMS).map(([name, rule]) => [name, rule.aliases])),
);

/** The canonical platform for a name or alias ("微信" → "wechat"), or undefined. */
export function resolveMessagingPlatform(name: string): MessagingPlatform | undefined {
  return PLATFORM_INDEX.get(aliasSlug(name)) as MessagingPlatform | undefined;
}

function ruleOf(platform: string): PlatformRule | undefined {
  // A Map, not an index into the object: an unknown platform may be called "constructor".
  return PLATFORM_RULES.get(platform);
}

const HANDLE_CHARS = /^[\p{L}\p{N}._:+-]+$/u;
const PHONE_LIKE = /^\+?[\d\s().-]{6,24}$/;

type HandleResult =
  { ok: true; handle: string; details?: Record<string, string> } | { ok: false; reason: string };

/** The handle inside a profile link ("t.me/name"), or undefined when `text` is not such a link. */
function handleInLink(text: string, prefixes: readonly string[] | undefined): string | undefined {
  const bare = text.replace(/^https?:\/\//i, '').replace(/^www\./i, '');
  for (const prefix of prefixes ?? []) {
    if (bare.toLowerCase().startsWith(prefix)) {
      return bare.slice(prefix.length).split(/[/?#&]/, 1)[0] ?? '';
    }
  }
  return undefined;
}

function normalizeHandleText(
  text: string,
  platform: string,
  rule: PlatformRule | undefined,
  region: string | undefined,
): HandleResult {
  const style = rule?.style ?? 'handle';
  const linked = handleInLink(text, rule?.linkPrefixes);
  // Click-to-chat links (wa.me/8613800138000) carry the full international number without '+'.
  const fromLink =
    linked !== undefined && style === 'phone' && /^\d/.test(linked) ? `+${linked}` : linked;
  const unwrapped = (fromLink ?? text).replace(/^@+/, '').trim();
  if (unwrapped === '') return { ok: false, reason: `${platform} handle is empty` };

  if (style === 'qq') {
    const digits = unwrapped.replace(/@qq\.com$/i, '').replace(/\s+/g, '');
    if (!/^[1-9]\d{4,11}$/.test(digits)) {
      return { ok: false, reason: 'QQ numbers are 5–12 digits and do not start with 0' };
    }
    return { ok: true, handle: digits };
  }
  if (style === 'phone' || (style === 'handleOrPhone' && PHONE_LIKE.test(unwrapped))) {
    const phone = normalizePhone(unwrapped, { region });
    if (phone.ok) return { ok: true, handle: phone.key, details: phone.details };
    if (style === 'phone') return { ok: false, reason: `${platform} account ${phone.reason}` };
    // WeChat ids of old accounts may be bare digits (a QQ number): keep them as a username.
  }

  const handle = unwrapped.toLowerCase();
  if (handle.length > 64)
    return { ok: false, reason: `${platform} handle is longer than 64 characters` };
  if (!HANDLE_CHARS.test(handle)) {
    const bad = [...handle].find((ch) => !HANDLE_CHARS.test(ch)) ?? '?';
    return {
      ok: false,
      reason: `contains ${describeChar(bad)}, which cannot appear in a ${platform} handle`,
    };
  }
  if (rule?.pattern !== undefined && !rule.pattern.test(handle)) {
    return { ok: false, reason: rule.patternHint ?? `not a valid ${platform} handle` };
  }
  return { ok: true, handle };
}

export interface MessagingHandleOptions {
  /** Platform or alias ("WeChat", "微信"); required (or give the value as `platform:handle`). */
  provider?: string;
  /** Default region for handles that are phone numbers (WhatsApp, …). */
  region?: string;
}

/**
 * Normalizes a messaging handle to `platform:handle` (`wechat:abc`, `whatsapp:+8613800138000`,
 * `qq:12345678`, `telegram:some_user`). A platform missing from the table is kept under its own
 * lowercase name (`details.knownPlatform = 'false'`), with generic username rules.
 */
export function normalizeMessagingHandle(
  value: string,
  options: MessagingHandleOptions = {},
): NormalizedIdentifier {
  const raw = rawOf(value);
  const prepared = prepare(value, 'messaging handle');
  if (!prepared.ok) return failure('messagingHandle', raw, prepared.reason);
  let text = prepared.text;

  let platform: string | undefined;
  const platformName = typeof options.provider === 'string' ? options.provider : '';
  if (platformName.trim() !== '') {
    platform = resolveMessagingPlatform(platformName) ?? aliasSlug(platformName);
    if (platform === '' || platform.length > 40) {
      return failure(
        'messagingHandle',
        raw,
        'messaging platform name must have 1–40 letters or digits',
      );
    }
  }
  // Accept a key back as input: a known platform name before the first ':'. Only known names,
  // because Skype handles ("live:name") contain ':' themselves.
  const prefixed = /^([a-z]+):(.+)$/su.exec(text);
  const prefixPlatform =
    prefixed === null ? undefined : resolveMessagingPlatform(prefixed[1] ?? '');
  if (
    prefixed !== null &&
    prefixPlatform === prefixed[1] &&
    (platform ?? prefixPlatform) === prefixPlatform
  ) {
    platform = prefixPlatform;
    text = prefixed[2] ?? '';
  }
  if (platform === undefined) {
    return failure(
      'messagingHandle',
      raw,
      'a messaging handle needs its platform (wechat, whatsapp, telegram…)',
    );
  }
  const region = parseRegion(options.region);
  if (!region.ok) return failure('messagingHandle', raw, region.reason);

  const rule = ruleOf(platform);
  const handle = normalizeHandleText(text, platform, rule, region.region);
  if (!handle.ok) return failure('messagingHandle', raw, handle.reason);
  const details: Record<string, string> = { ...handle.details, platform };
  if (rule === undefined) details.knownPlatform = 'false';
  const key = `${platform}:${handle.handle}`;
  return success('messagingHandle', raw, key, key, details);
}

// Domains → registrable domain (what one party owns) and URLs → one canonical spelling, so a
// storefront reached through tracking links, mixed case or Unicode spellings is one node.
import { isIP } from 'node:net';
import { domainToASCII, domainToUnicode } from 'node:url';
import { parse as parseDomain } from 'tldts';
import { describeChar, failure, prepare, rawOf, success } from './text.js';
import type { NormalizedIdentifier } from './types.js';

type HostResult = { ok: true; ascii: string } | { ok: false; reason: string };

// domainToASCII quietly decodes '%', cuts at '/' and so on; refuse those before it sees them.
const NOT_IN_HOSTNAMES = /[\s/\\?#@:%[\]<>"'`^{}|,;!$&()*+=~]/u;

/** IDN-aware hostname → lowercase ASCII, with the DNS length and character rules checked. */
export function toAsciiHostname(host: string): HostResult {
  const bad = NOT_IN_HOSTNAMES.exec(host);
  if (bad !== null) {
    return {
      ok: false,
      reason: `contains ${describeChar(bad[0])}, which cannot appear in a domain name`,
    };
  }
  const trimmed = host.endsWith('.') ? host.slice(0, -1) : host;
  const ascii = domainToASCII(trimmed);
  if (ascii === '') return { ok: false, reason: 'not a valid (internationalized) domain name' };
  if (ascii.length > 253) return { ok: false, reason: 'domain name is longer than 253 characters' };
  for (const label of ascii.split('.')) {
    if (label === '')
      return { ok: false, reason: 'domain name has an empty label (two dots in a row?)' };
    if (label.length > 63)
      return { ok: false, reason: 'a domain label is longer than 63 characters' };
    // Underscores are not legal in hostnames, yet real storefront hosts use them; keep them.
    if (!/^[a-z0-9_-]+$/.test(label)) {
      return {
        ok: false,
        reason: 'domain name has characters outside letters, digits and hyphens',
      };
    }
    if (label.startsWith('-') || label.endsWith('-')) {
      return { ok: false, reason: 'a domain label starts or ends with a hyphen' };
    }
  }
  return { ok: true, ascii };
}

/** Canonical text of an IP address, or undefined when `host` is not one. */
function canonicalIp(host: string): string | undefined {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const version = isIP(bare);
  if (version === 4) return bare;
  if (version === 6) {
    // The WHATWG host parser compresses and lowercases IPv6 the one canonical way (RFC 5952).
    try {
      return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

type RegistrableResult =
  | { ok: true; domain: string; publicSuffix: string; subdomain: string }
  | { ok: false; reason: string };

/**
 * Private suffixes count (seller.myshopify.com, shop.blogspot.com): on such platforms each
 * subdomain is a different owner, which is exactly what a counterfeiting network analysis needs.
 */
function registrable(ascii: string): RegistrableResult {
  const info = parseDomain(ascii, { allowPrivateDomains: true });
  if (info.domain === null || info.publicSuffix === null) {
    if (!ascii.includes('.')) return { ok: false, reason: 'domain name has no top-level domain' };
    return { ok: false, reason: 'is a public suffix, not a domain someone can register' };
  }
  if (info.isIcann !== true && info.isPrivate !== true) {
    return { ok: false, reason: `unknown top-level domain .${info.publicSuffix}` };
  }
  return {
    ok: true,
    domain: info.domain,
    publicSuffix: info.publicSuffix,
    subdomain: info.subdomain ?? '',
  };
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/** Splits off an explicit scheme, telling it apart from "host:port". */
function explicitScheme(text: string): string | undefined {
  const match = SCHEME.exec(text);
  if (match === null) return undefined;
  const rest = text.slice(match[0].length);
  if (/^\d+(?:[/?#]|$)/.test(rest)) return undefined;
  return (match[1] ?? '').toLowerCase();
}

/**
 * Normalizes a domain name to its registrable domain (`www.shop.example.co.uk` →
 * `example.co.uk`), ASCII and lowercase. A URL or "host/path" is accepted and its host used.
 * IP addresses are kept as they are, with `details.ip = 'true'`.
 */
export function normalizeDomain(value: string): NormalizedIdentifier {
  const raw = rawOf(value);
  const prepared = prepare(value, 'domain');
  if (!prepared.ok) return failure('domain', raw, prepared.reason);
  let host = prepared.text;
  if (explicitScheme(host) !== undefined || host.startsWith('//')) {
    try {
      host = new URL(host.startsWith('//') ? `https:${host}` : host).hostname;
    } catch {
      return failure('domain', raw, 'not a domain name or a parseable URL');
    }
  } else {
    host = host.split(/[/?#]/, 1)[0] ?? '';
    const port = /^(.*[^:]):\d{1,5}$/.exec(host);
    if (port !== null && !host.startsWith('[') && isIP(host) === 0) host = port[1] ?? host;
  }
  if (host === '') return failure('domain', raw, 'domain is empty');

  const ip = canonicalIp(host);
  if (ip !== undefined) return success('domain', raw, ip, ip, { hostname: ip, ip: 'true' });

  const ascii = toAsciiHostname(host);
  if (!ascii.ok) return failure('domain', raw, ascii.reason);
  const reg = registrable(ascii.ascii);
  if (!reg.ok) return failure('domain', raw, reg.reason);
  const details: Record<string, string> = { hostname: ascii.ascii, publicSuffix: reg.publicSuffix };
  if (reg.subdomain !== '') details.subdomain = reg.subdomain;
  return success('domain', raw, reg.domain, domainToUnicode(reg.domain) || reg.domain, details);
}

/**
 * Query parameters that say how someone arrived, not what they are looking at. Marketplace share
 * links (Taobao/Tmall `spm`, `scm`, `ut_sk`…) carry several; product ids such as `id` stay.
 */
const TRACKING_PARAMS: ReadonlySet<string> = new Set([
  'spm',
  'scm',
  'pvid',
  'ali_trackid',
  'ali_refid',
  'ut_sk',
  'share_crt_v',
  'sp_abtk',
  'sp_tk',
  'bxsign',
  'tbsocialpopkey',
  'wxsign',
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'twclid',
  'ttclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  'mkt_tok',
  'li_fat_id',
  '_ga',
  '_gl',
  '_hsenc',
  '_hsmi',
]);

export function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('utm_') || TRACKING_PARAMS.has(lower);
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** %7e and %7E and ~ are the same path (RFC 3986 §6.2.2): one spelling each. */
function normalizePercentEncoding(path: string): string {
  return path.replace(/%([0-9a-fA-F]{2})/g, (_match, hexDigits: string) => {
    const ch = String.fromCharCode(parseInt(hexDigits, 16));
    return UNRESERVED.test(ch) ? ch : `%${hexDigits.toUpperCase()}`;
  });
}

function compareParams(a: [string, string], b: [string, string]): number {
  // Code-unit order, not localeCompare: the key must not depend on the machine's locale.
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}

function readable(href: string): string {
  try {
    return decodeURI(href);
  } catch {
    return href;
  }
}

/**
 * Normalizes an http(s) URL: https is assumed when the scheme is missing; host lowercased ASCII;
 * default port, credentials, tracking parameters and the fragment dropped; parameters sorted;
 * percent-encoding made canonical; a trailing slash dropped except on the root. Fragments that are
 * single-page-app routes ("#/item/1", "#!…") are kept: there they name the page.
 */
export function normalizeUrl(value: string): NormalizedIdentifier {
  const raw = rawOf(value);
  const prepared = prepare(value, 'URL');
  if (!prepared.ok) return failure('url', raw, prepared.reason);
  let text = prepared.text;
  const scheme = explicitScheme(text);
  if (scheme === undefined) text = text.startsWith('//') ? `https:${text}` : `https://${text}`;
  else if (scheme !== 'http' && scheme !== 'https') {
    return failure(
      'url',
      raw,
      `unsupported URL scheme '${scheme.slice(0, 20)}'; only http and https`,
    );
  }

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return failure('url', raw, 'not a parseable URL');
  }

  const details: Record<string, string> = {};
  const ip = canonicalIp(url.hostname);
  if (ip !== undefined) {
    details.domain = ip;
    details.ip = 'true';
  } else {
    const ascii = toAsciiHostname(url.hostname);
    if (!ascii.ok) return failure('url', raw, `URL host ${ascii.reason}`);
    const reg = registrable(ascii.ascii);
    if (!reg.ok) return failure('url', raw, `URL host ${reg.reason}`);
    details.domain = reg.domain;
  }
  details.hostname = ip ?? url.hostname;

  url.username = '';
  url.password = '';
  if (!/^#!|^#\//.test(url.hash)) url.hash = '';

  const params = [...url.searchParams].filter(([name]) => !isTrackingParam(name));
  params.sort(compareParams);
  const query = new URLSearchParams(params).toString();
  url.search = query === '' ? '' : `?${query}`;

  let path = normalizePercentEncoding(url.pathname);
  if (path.length > 1) path = path.replace(/\/+$/, '') || '/';
  url.pathname = path;

  const key = url.href;
  const unicodeHost = ip === undefined ? domainToUnicode(url.hostname) : '';
  const display =
    unicodeHost !== '' && unicodeHost !== url.hostname
      ? readable(
          key.replace(`//${url.host}`, `//${unicodeHost}${url.port === '' ? '' : `:${url.port}`}`),
        )
      : readable(key);
  return success('url', raw, key, display, details);
}

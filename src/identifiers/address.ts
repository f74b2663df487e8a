// Postal addresses → a comparison key (no geocoding, no libpostal): NFKC, case, punctuation and
// abbreviations made uniform, so two listings of one return address or factory meet in the graph.
import { failure, prepare, rawOf, success } from './text.js';
import type { NormalizedIdentifier } from './types.js';

/**
 * Latin abbreviations, expanded to the full word (the key stays readable). Single letters are left
 * alone ("Block A", "N" for north or a unit), except "f" after a number ("12/F" → "12 floor").
 * "st" always becomes "street": "St. John Rd" → "street john road", consistently, so keys still
 * match; the words are never shown to analysts (`display` is the raw text).
 */
const ABBREVIATIONS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    st: 'street',
    str: 'street',
    rd: 'road',
    ave: 'avenue',
    av: 'avenue',
    blvd: 'boulevard',
    hwy: 'highway',
    ln: 'lane',
    dr: 'drive',
    ct: 'court',
    pl: 'place',
    sq: 'square',
    pkwy: 'parkway',
    rte: 'route',
    bldg: 'building',
    bld: 'building',
    blk: 'block',
    fl: 'floor',
    flr: 'floor',
    rm: 'room',
    apt: 'apartment',
    ste: 'suite',
    no: 'number',
    nr: 'number',
    num: 'number',
    dist: 'district',
    prov: 'province',
    ind: 'industrial',
    indus: 'industrial',
    intl: 'international',
    ctr: 'center',
    centre: 'center',
    vil: 'village',
  }),
);

/**
 * Traditional → simplified for the characters addresses are made of (administrative units,
 * building words, common place-name characters). Not a general converter: that needs a
 * dictionary, and a missed character only costs a missed match, never a wrong one.
 */
const TRADITIONAL_TO_SIMPLIFIED: ReadonlyMap<string, string> = new Map(
  Object.entries({
    區: '区',
    號: '号',
    縣: '县',
    鎮: '镇',
    鄉: '乡',
    樓: '楼',
    層: '层',
    棟: '栋',
    門: '门',
    園: '园',
    廠: '厂',
    場: '场',
    庫: '库',
    廈: '厦',
    廣: '广',
    東: '东',
    國: '国',
    華: '华',
    灣: '湾',
    臺: '台',
    龍: '龙',
    興: '兴',
    業: '业',
    島: '岛',
    寶: '宝',
    陽: '阳',
    蘇: '苏',
    漢: '汉',
    雲: '云',
    貴: '贵',
    遼: '辽',
    寧: '宁',
    陝: '陕',
    義: '义',
    單: '单',
    開: '开',
    發: '发',
    車: '车',
    務: '务',
    邊: '边',
    莊: '庄',
    鐵: '铁',
    蓮: '莲',
    灘: '滩',
    橋: '桥',
    澤: '泽',
    濱: '滨',
    嶺: '岭',
    峽: '峡',
    豐: '丰',
    劃: '划',
    內: '内',
    濟: '济',
    價: '价',
    會: '会',
    鄭: '郑',
    瀋: '沈',
    長: '长',
    蘭: '兰',
    鹽: '盐',
    慶: '庆',
    圍: '围',
    樂: '乐',
    壩: '坝',
    鋪: '铺',
    倉: '仓',
    運: '运',
    貿: '贸',
    產: '产',
    電: '电',
  }),
);

const TRAD_CHARS = new RegExp(`[${[...TRADITIONAL_TO_SIMPLIFIED.keys()].join('')}]`, 'gu');

const HAN = /\p{Script=Han}/u;

function toSimplified(text: string): string {
  return text.replace(TRAD_CHARS, (ch) => TRADITIONAL_TO_SIMPLIFIED.get(ch) ?? ch);
}

function expandToken(token: string, previous: string | undefined): string {
  const floorAfterNumber = /^(\d+)f$/.exec(token);
  if (floorAfterNumber !== null) return `${floorAfterNumber[1]} floor`;
  if (token === 'f' && previous !== undefined && /^\d+$/.test(previous)) return 'floor';
  return ABBREVIATIONS.get(token) ?? token;
}

/** Lowercase, punctuation-free, abbreviations expanded, no spaces next to Chinese characters. */
function toKey(text: string): string {
  const cleaned = toSimplified(text)
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’‘`]/g, '')
    .replace(/[\p{P}\p{S}]/gu, ' ');
  const tokens = cleaned.split(/\s+/u).filter((t) => t !== '');
  const expanded = tokens.map((token, i) => expandToken(token, tokens[i - 1]));
  return expanded.join(' ').replace(/\s+(?=\p{Script=Han})|(?<=\p{Script=Han})\s+/gu, '');
}

const MUNICIPALITIES = ['北京', '天津', '上海', '重庆'];
const SPECIAL_REGIONS = ['香港', '澳门'];
const PROVINCES = [
  '河北',
  '山西',
  '辽宁',
  '吉林',
  '黑龙江',
  '江苏',
  '浙江',
  '安徽',
  '福建',
  '江西',
  '山东',
  '河南',
  '湖北',
  '湖南',
  '广东',
  '海南',
  '四川',
  '贵州',
  '云南',
  '陕西',
  '甘肃',
  '青海',
  '台湾',
  '内蒙古',
  '广西',
  '西藏',
  '宁夏',
  '新疆',
];
const PROVINCE_PREFIX = new RegExp(
  `^(?:(?:${PROVINCES.join('|')})(?:省|壮族自治区|回族自治区|维吾尔自治区|自治区)?|\\p{Script=Han}{2,7}?(?:省|自治区))`,
  'u',
);

/** Chinese addresses run large → small: [country] [province] city …; take the city level. */
function chineseCity(key: string): string | null {
  const s = key.replace(/^(?:中华人民共和国|中国)/u, '');
  for (const m of MUNICIPALITIES) if (s.startsWith(m)) return `${m}市`;
  for (const r of SPECIAL_REGIONS) if (s.startsWith(r)) return r;
  const afterProvince = s.replace(PROVINCE_PREFIX, '');
  const city = /^\p{Script=Han}{1,7}?市/u.exec(afterProvince);
  return city === null ? null : city[0];
}

const COUNTRIES: ReadonlySet<string> = new Set([
  'china',
  'prc',
  'pr china',
  'p r china',
  'peoples republic of china',
  'usa',
  'us',
  'u s a',
  'united states',
  'united states of america',
  'america',
  'uk',
  'united kingdom',
  'great britain',
  'england',
  'canada',
  'australia',
  'germany',
  'france',
  'italy',
  'spain',
  'netherlands',
  'japan',
  'korea',
  'south korea',
  'india',
  'vietnam',
  'viet nam',
  'thailand',
  'malaysia',
  'indonesia',
  'philippines',
  'turkey',
  'russia',
  'brazil',
  'mexico',
  'uae',
  'united arab emirates',
]);
const CHINESE_PROVINCES_LATIN: ReadonlySet<string> = new Set([
  'anhui',
  'fujian',
  'gansu',
  'guangdong',
  'guangxi',
  'guizhou',
  'hainan',
  'hebei',
  'heilongjiang',
  'henan',
  'hubei',
  'hunan',
  'jiangsu',
  'jiangxi',
  'jilin',
  'liaoning',
  'qinghai',
  'shaanxi',
  'shandong',
  'shanxi',
  'sichuan',
  'yunnan',
  'zhejiang',
  'xinjiang',
  'xizang',
  'tibet',
  'ningxia',
  'inner mongolia',
]);

/**
 * Latin addresses run small → large, comma-separated: drop trailing country, postcode, state or
 * province parts, then the last remaining part, if it is a short name without digits, is the city.
 */
function latinCity(text: string): string | null {
  const parts = text
    .split(/[,;\n]/u)
    .map((p) => toKey(p).replace(/\s+\d[\d\s-]{2,}$/u, ''))
    .filter((p) => p !== '');
  while (parts.length > 0) {
    const last = parts[parts.length - 1] ?? '';
    const isRegion =
      COUNTRIES.has(last) ||
      CHINESE_PROVINCES_LATIN.has(last) ||
      /\b(?:province|state|county)$/u.test(last) ||
      /^[a-z]{2}$/u.test(last) ||
      /^[a-z0-9 -]*\d[a-z0-9 -]*$/u.test(last);
    if (!isRegion) break;
    parts.pop();
  }
  if (parts.length < 2) return null;
  const explicit = [...parts].reverse().find((p) => / city$/u.test(p));
  const candidate = (explicit ?? parts[parts.length - 1] ?? '').replace(/ city$/u, '');
  if (candidate === '' || /\d/u.test(candidate) || candidate.split(' ').length > 3) return null;
  return candidate;
}

function cityOf(prepared: string, key: string): string | null {
  return HAN.test(key) ? chineseCity(key) : latinCity(prepared);
}

/**
 * Normalizes a postal address to a comparison key. `display` is the raw text: the key is for
 * matching, not for reading. A Chinese address and its pinyin/English rendering get different keys
 * (transliteration needs a gazetteer). `details.city` is set when the city can be picked out.
 */
export function normalizeAddress(value: string): NormalizedIdentifier {
  const raw = rawOf(value);
  const prepared = prepare(value, 'address');
  if (!prepared.ok) return failure('address', raw, prepared.reason);
  const key = toKey(prepared.text);
  if (!/[\p{L}\p{N}]/u.test(key))
    return failure('address', raw, 'address has no letters or digits');
  const city = cityOf(prepared.text, key);
  return success('address', raw, key, raw.trim(), city === null ? undefined : { city });
}

/**
 * The city an address lies in, in key form ("深圳市", "springfield"), or null when it cannot be
 * told cheaply. Sharing policy uses it to coarsen an address before it leaves the node. Accepts the
 * raw address text or a normalized address.
 */
export function coarsenAddressToCity(address: NormalizedIdentifier | string): string | null {
  if (typeof address === 'string') {
    const normalized = normalizeAddress(address);
    return normalized.ok ? (normalized.details?.city ?? null) : null;
  }
  if (!address.ok || address.kind !== 'address') return null;
  return address.details?.city ?? coarsenAddressToCity(address.raw);
}

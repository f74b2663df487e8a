// Deterministic synthetic investigation data with planted infringer networks: sellers on
// Chinese and Western platforms with listings, prices and sales, and groups of sellers tied
// together by a phone written in different formats, a return address spelled differently, a
// factory supplying them all, or shipments along one route. The manifest says exactly which
// sellers belong together; every other identifier comes from a per-seller pool, so unplanted
// sellers never share anything by accident. Rows are produced one at a time (constant memory).
import type { RecordKind } from './model.js';

export type NetworkVia = 'phone' | 'returnAddress' | 'factory' | 'route';
const NETWORK_KINDS: readonly NetworkVia[] = ['phone', 'returnAddress', 'factory', 'route'];

export interface PlantedNetwork {
  id: string;
  /** What the members share. */
  via: NetworkVia;
  /** Seller keys ("platform:accountId"), in generation order. */
  sellers: string[];
  /** The factory's key (via factory) or the route's origin → destination (via route). */
  factoryKey?: string;
  route?: { origin: string; via: string[]; destination: string; carrier: string; port: string };
}

export interface GenerateOptions {
  sellers: number;
  seed?: number;
  /** Listings per seller (default 2). */
  listingsPerSeller?: number;
  /** Share of sellers placed in planted networks (default 0.1). */
  plantedFraction?: number;
  /** The observation date of every row (default 2026-03-01T00:00:00Z): fixed for determinism. */
  observedAt?: string;
  /** Source name on every row (default "synthetic"). */
  source?: string;
}

export interface Manifest {
  seed: number;
  sellers: number;
  listingsPerSeller: number;
  /** How many rows the generator yields. */
  rows: number;
  networks: PlantedNetwork[];
}

/** One line of generated JSONL: the record kind plus the record in the model's shape. */
export type GeneratedRow = { record: RecordKind } & Record<string, unknown>;

interface PlatformSpec {
  code: string;
  name: string;
  chinese: boolean;
  currency: string;
  listingUrl: (id: string) => string;
  storeUrl: (account: string) => string;
  account: (n: number) => string;
}

const PLATFORMS: readonly PlatformSpec[] = [
  {
    code: 'jd',
    name: 'JD.com',
    chinese: true,
    currency: 'CNY',
    listingUrl: (id) => `https://item.jd.com/${id}.html`,
    storeUrl: (a) => `https://mall.jd.com/index-${a}.html`,
    account: (n) => String(1_000_000 + n),
  },
  {
    code: 'taobao',
    name: 'Taobao',
    chinese: true,
    currency: 'CNY',
    listingUrl: (id) => `https://item.taobao.com/item.htm?id=${id}`,
    storeUrl: (a) => `https://shop${a}.taobao.com/`,
    account: (n) => String(50_000_000 + n),
  },
  {
    code: 'tmall',
    name: 'Tmall',
    chinese: true,
    currency: 'CNY',
    listingUrl: (id) => `https://detail.tmall.com/item.htm?id=${id}`,
    storeUrl: (a) => `https://store${a}.tmall.com/`,
    account: (n) => String(70_000_000 + n),
  },
  {
    code: 'pinduoduo',
    name: 'Pinduoduo',
    chinese: true,
    currency: 'CNY',
    listingUrl: (id) => `https://mobile.yangkeduo.com/goods.html?goods_id=${id}`,
    storeUrl: (a) => `https://mobile.yangkeduo.com/mall_page.html?mall_id=${a}`,
    account: (n) => String(300_000 + n),
  },
  {
    code: 'douyin',
    name: 'Douyin',
    chinese: true,
    currency: 'CNY',
    listingUrl: (id) => `https://haohuo.jinritemai.com/views/product/item?id=${id}`,
    storeUrl: (a) => `https://haohuo.jinritemai.com/views/shop/index?id=${a}`,
    account: (n) => `dy${(9_000_000 + n).toString(36)}`,
  },
  {
    code: 'amazon',
    name: 'Amazon',
    chinese: false,
    currency: 'USD',
    listingUrl: (id) => `https://www.amazon.com/dp/B0${id.padStart(8, '0').slice(-8)}`,
    storeUrl: (a) => `https://www.amazon.com/sp?seller=${a}`,
    account: (n) => `A${(0x10000000 + n).toString(36).toUpperCase()}`,
  },
  {
    code: 'ebay',
    name: 'eBay',
    chinese: false,
    currency: 'USD',
    listingUrl: (id) => `https://www.ebay.com/itm/${id}`,
    storeUrl: (a) => `https://www.ebay.com/str/${a}`,
    account: (n) => `powerdeals-${n}`,
  },
  {
    code: 'aliexpress',
    name: 'AliExpress',
    chinese: false,
    currency: 'USD',
    listingUrl: (id) => `https://www.aliexpress.com/item/${id}.html`,
    storeUrl: (a) => `https://www.aliexpress.com/store/${a}`,
    account: (n) => String(900_000_000 + n),
  },
  {
    code: 'shopee',
    name: 'Shopee',
    chinese: false,
    currency: 'SGD',
    listingUrl: (id) => `https://shopee.sg/product/${id}`,
    storeUrl: (a) => `https://shopee.sg/shop/${a}`,
    account: (n) => String(600_000_000 + n),
  },
  {
    code: 'temu',
    name: 'Temu',
    chinese: false,
    currency: 'EUR',
    listingUrl: (id) => `https://www.temu.com/goods.html?goods_id=${id}`,
    storeUrl: (a) => `https://www.temu.com/mall.html?mall_id=${a}`,
    account: (n) => String(634_000_000 + n),
  },
];

const PRODUCTS = [
  { sku: 'PB-20000', name: '20000mAh power bank', price: 159 },
  { sku: 'BAT-AA-8', name: 'AA alkaline batteries, 8 pack', price: 29.9 },
  { sku: 'BAT-18650', name: '18650 lithium cell', price: 39 },
  { sku: 'CHG-65W', name: '65W GaN charger', price: 199 },
  { sku: 'EB-PRO', name: 'Wireless earbuds Pro', price: 899 },
];
const TITLE_PREFIX_CN = ['正品', '官方旗舰', '原装', '特价', '包邮'];
const TITLE_PREFIX_EN = ['Genuine', 'Original', 'Hot sale', 'Brand new', 'Wholesale'];
const SHOP_WORDS = ['Power', 'Energy', 'Volt', 'Digital', 'Tech', 'Star', 'Lucky', 'Golden'];
const CITIES = ['Shenzhen', 'Guangzhou', 'Dongguan', 'Yiwu', 'Ningbo', 'Shantou', 'Foshan'];
const CITIES_CN = ['深圳市', '广州市', '东莞市', '义乌市', '宁波市', '汕头市', '佛山市'];
const DISTRICTS_CN = ['宝安区', '龙华区', '白云区', '南城区', '北仑区', '龙湖区', '南海区'];
const DESTINATIONS = ['Los Angeles', 'Rotterdam', 'Hamburg', 'Felixstowe', 'Singapore', 'Dubai'];
const CARRIERS = ['COSCO', 'Maersk', 'SF International', 'Cainiao', 'DHL'];

/** splitmix32: a well-mixed 32-bit hash of (seed, stream, index). */
function mix(seed: number, a: number, b: number): number {
  let z = (seed ^ Math.imul(a, 0x9e3779b9) ^ Math.imul(b, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** A small deterministic generator (mulberry32) seeded per seller, so rows do not depend on order. */
class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

interface NetworkSlot {
  network: PlantedNetwork;
  /** Position of the seller in its network. */
  member: number;
  index: number;
}

/** The shared phone of network n, in the three ways people write it (planted pool: 186…). */
export function plantedPhoneFormats(n: number): [string, string, string] {
  const digits = String(18_600_000_000 + n);
  const [a, b, c] = [digits.slice(0, 3), digits.slice(3, 7), digits.slice(7)];
  return [`${a} ${b} ${c}`, `+86 ${a}-${b}-${c}`, `0086 ${digits}`];
}

function plantedAddressFormats(n: number, chinese: boolean): string[] {
  const no = 100 + n;
  if (chinese) {
    return [`深圳市福田区华强北路${no}号`, `深圳市 福田区 华强北路 ${no} 号`];
  }
  return [
    `No. ${no} Huaqiang North Road, Futian District, Shenzhen`,
    `no ${no} huaqiang north road futian district shenzhen`,
    `NO.${no} HUAQIANG NORTH RD., FUTIAN DIST., SHENZHEN`,
  ];
}

function sellerKeyOf(index: number): string {
  const platform = PLATFORMS[index % PLATFORMS.length]!;
  return `${platform.code}:${platform.account(index)}`;
}

/** The planted networks for these options (computed up front; O(networks) memory). */
export function plantNetworks(options: GenerateOptions): PlantedNetwork[] {
  const seed = options.seed ?? 1;
  const total = options.sellers;
  const budget = Math.min(
    total,
    Math.max(Math.floor(total * (options.plantedFraction ?? 0.1)), 16),
  );
  const rng = new Rng(mix(seed, 0xfeed, 0));
  const networks: PlantedNetwork[] = [];
  let next = 0;
  for (let n = 0; ; n++) {
    // The first network of each kind stays small so that even a tiny data set has all four.
    const size = 2 + rng.int(n < NETWORK_KINDS.length ? 3 : 5);
    if (next + size > budget) break;
    const via = NETWORK_KINDS[n % NETWORK_KINDS.length]!;
    const sellers = Array.from({ length: size }, (_, m) => sellerKeyOf(next + m));
    const network: PlantedNetwork = { id: `net-${n}`, via, sellers };
    if (via === 'factory') network.factoryKey = `factory-net-${n}`;
    if (via === 'route') {
      network.route = {
        origin: rng.pick(CITIES),
        via: ['Hong Kong', `Transit Hub ${n}`],
        destination: rng.pick(DESTINATIONS),
        carrier: rng.pick(CARRIERS),
        port: `Port ${n}`,
      };
    }
    networks.push(network);
    next += size;
  }
  return networks;
}

function rowsPerSeller(index: number, slot: NetworkSlot | undefined, listings: number): number {
  const ownShipment = slot === undefined && index % 5 === 0 ? 1 : 0;
  const ownFactory = slot === undefined && index % 7 === 0 ? 1 : 0;
  const networkRows =
    slot === undefined
      ? 0
      : (slot.network.via === 'route' ? 1 : 0) +
        (slot.network.via === 'factory' && slot.member === slot.network.sellers.length - 1 ? 1 : 0);
  return listings + ownShipment + ownFactory + networkRows;
}

/** A generator of rows and the manifest of the networks planted in them. */
export function generate(options: GenerateOptions): {
  manifest: Manifest;
  rows: () => Generator<GeneratedRow>;
} {
  const seed = options.seed ?? 1;
  const listings = options.listingsPerSeller ?? 2;
  const observedAt = options.observedAt ?? '2026-03-01T00:00:00Z';
  const source = options.source ?? 'synthetic';
  const networks = plantNetworks(options);
  const slots: NetworkSlot[] = [];
  networks.forEach((network, index) =>
    network.sellers.forEach((_, member) => slots.push({ network, member, index })),
  );
  const slotOf = (i: number): NetworkSlot | undefined => slots[i];
  let rows = 0;
  for (let i = 0; i < options.sellers; i++) rows += rowsPerSeller(i, slotOf(i), listings);

  function* sellerRows(i: number): Generator<GeneratedRow> {
    const rng = new Rng(mix(seed, 1, i));
    const platform = PLATFORMS[i % PLATFORMS.length]!;
    const accountId = platform.account(i);
    const slot = slotOf(i);
    const base = { source, observedAt, region: 'CN' };
    const cityIx = rng.int(CITIES.length);
    const name = `${rng.pick(SHOP_WORDS)} ${rng.pick(SHOP_WORDS)} ${platform.chinese ? 'Store' : 'Shop'} ${i}`;

    // Per-seller pools (139… phones, qq mails, numbered streets) are injective in i.
    const identifiers: Array<Record<string, string>> = [
      { kind: 'PHONE', value: String(13_900_000_000 + i) },
      { kind: 'EMAIL', value: `${100_000 + i}@qq.com` },
      {
        kind: 'PAYMENT_ACCOUNT',
        provider: platform.chinese ? 'alipay' : 'paypal',
        value: `pay${i}@seller-${platform.code}.example`,
      },
    ];
    if (rng.next() < 0.5) {
      identifiers.push({
        kind: 'ADDRESS',
        role: 'RETURN',
        value: `${CITIES_CN[cityIx]}${DISTRICTS_CN[cityIx]}工业路${i + 1}号`,
      });
    } else {
      identifiers.push({
        kind: 'ADDRESS',
        role: 'RETURN',
        value: `No. ${i + 1} Industrial Road, ${CITIES[cityIx]}`,
      });
    }
    if (rng.next() < 0.3) {
      identifiers.push({
        kind: 'MESSAGING_HANDLE',
        provider: 'wechat',
        value: `wxid_s${i.toString(36)}`,
      });
    }
    if (slot?.network.via === 'phone') {
      const formats = plantedPhoneFormats(slot.index);
      identifiers.push({ kind: 'PHONE', value: formats[slot.member % formats.length]! });
    }
    if (slot?.network.via === 'returnAddress') {
      const formats = plantedAddressFormats(slot.index, Math.floor(slot.index / 4) % 2 === 0);
      identifiers.push({
        kind: 'ADDRESS',
        role: 'RETURN',
        value: formats[slot.member % formats.length]!,
      });
    }

    for (let l = 0; l < listings; l++) {
      const product = rng.pick(PRODUCTS);
      const listingId = String(i * 16 + l + 10_000_000);
      const discount = 0.25 + rng.next() * 0.5;
      const price = platform.chinese ? product.price * discount : (product.price / 7) * discount;
      yield {
        record: 'listing',
        ...base,
        platform: platform.code,
        platformName: platform.name,
        seller: {
          accountId,
          displayName: name,
          ...(platform.chinese &&
            rng.next() < 0.4 && {
              legalName: `${CITIES[cityIx]} ${name} Trading Co., Ltd.`,
              businessLicenceNumber: `91440300MA${(0x1000000 + i).toString(36).toUpperCase().padStart(8, '0')}`,
            }),
        },
        storefront: { url: platform.storeUrl(accountId), name },
        listing: {
          url: platform.listingUrl(listingId),
          title: `${rng.pick(platform.chinese ? TITLE_PREFIX_CN : TITLE_PREFIX_EN)} ${product.name}`,
          price: Math.round(price * 100) / 100,
          currency: platform.currency,
          unitsSold: Math.floor(rng.next() ** 3 * 50_000),
          status: 'ACTIVE',
          product: { sku: product.sku, name: product.name },
        },
        // Identifiers ride on the seller's first listing only, as a platform disclosure would.
        ...(l === 0 && { identifiers }),
      };
    }
    const sellerRef = { kind: 'SELLER', platform: platform.code, key: accountId };
    if (slot === undefined && i % 5 === 0) {
      yield {
        record: 'shipment',
        ...base,
        waybill: `SF${String(1_000_000_000_000 + i)}`,
        carrier: 'SF Express',
        declaredContents: 'electronic accessories',
        quantity: 10 + rng.int(500),
        sender: sellerRef,
      };
    }
    if (slot === undefined && i % 7 === 0) {
      yield {
        record: 'entity',
        ...base,
        kind: 'FACTORY',
        key: `factory-s${i}`,
        name: `${CITIES[cityIx]} Factory ${i}`,
        identifiers: [{ kind: 'PHONE', value: `+86 755 ${String(20_000_000 + i).slice(-8)}` }],
        links: [{ relation: 'SUPPLIES', target: sellerRef }],
      };
    }
    if (slot?.network.via === 'route' && slot.network.route) {
      yield {
        record: 'shipment',
        ...base,
        shipmentId: `shp-${slot.network.id}-${slot.member}`,
        carrier: slot.network.route.carrier,
        declaredContents: 'batteries',
        quantity: 1000 + rng.int(9000),
        sender: sellerRef,
        route: { ...slot.network.route, mode: 'SEA' },
      };
    }
    if (slot?.network.via === 'factory' && slot.member === slot.network.sellers.length - 1) {
      yield {
        record: 'entity',
        ...base,
        kind: 'FACTORY',
        key: slot.network.factoryKey,
        name: `${CITIES[slot.index % CITIES.length]} Battery Factory ${slot.index}`,
        links: slot.network.sellers.map((key) => {
          const [code, ...rest] = key.split(':');
          return {
            relation: 'SUPPLIES',
            target: { kind: 'SELLER', platform: code, key: rest.join(':') },
          };
        }),
      };
    }
  }

  return {
    manifest: { seed, sellers: options.sellers, listingsPerSeller: listings, rows, networks },
    rows: function* () {
      for (let i = 0; i < options.sellers; i++) yield* sellerRows(i);
    },
  };
}

/** The rows as an async iterator (for streaming consumers), yielding to the event loop now and then. */
export async function* generateRows(options: GenerateOptions): AsyncGenerator<GeneratedRow> {
  let n = 0;
  for (const row of generate(options).rows()) {
    yield row;
    if (++n % 1000 === 0) await new Promise<void>((r) => setImmediate(r));
  }
}

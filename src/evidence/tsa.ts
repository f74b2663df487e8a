// RFC 3161 time-stamping: the DER TimeStampReq over a SHA-256 digest (built by hand: it is a few
// fixed fields), a minimal DER reader for the TimeStampResp, and the HTTP client for a configured
// TSA. The token's CMS signature is kept for `openssl ts -verify`, not verified here (that needs
// the TSA's certificate chain, which the node does not hold).
import { randomBytes } from 'node:crypto';

const SHA256_OID = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];

function length(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}
const tlv = (tag: number, body: readonly number[]): number[] => [
  tag,
  ...length(body.length),
  ...body,
];

/** A positive INTEGER from big-endian bytes (a leading 0 when the high bit is set). */
function integer(bytes: Uint8Array): number[] {
  const body = [...bytes];
  while (body.length > 1 && body[0] === 0 && (body[1]! & 0x80) === 0) body.shift();
  if ((body[0]! & 0x80) !== 0) body.unshift(0);
  return tlv(0x02, body);
}

/** DER TimeStampReq { v1, messageImprint(sha256, digest), nonce, certReq TRUE }. */
export function encodeTimeStampReq(digest: Uint8Array, nonce: Uint8Array): Uint8Array {
  if (digest.length !== 32) throw new TypeError('a SHA-256 digest has 32 bytes');
  const algorithm = tlv(0x30, [...SHA256_OID, 0x05, 0x00]);
  const imprint = tlv(0x30, [...algorithm, ...tlv(0x04, [...digest])]);
  return new Uint8Array(
    tlv(0x30, [...integer(Uint8Array.of(1)), ...imprint, ...integer(nonce), 0x01, 0x01, 0xff]),
  );
}

interface Node {
  tag: number;
  start: number;
  end: number;
}

export class DerError extends Error {
  override name = 'DerError';
}

function read(buf: Uint8Array, at: number, limit: number): Node {
  if (at + 2 > limit) throw new DerError('truncated');
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > limit) throw new DerError('bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  if (start + len > limit) throw new DerError('truncated');
  return { tag, start, end: start + len };
}

function children(buf: Uint8Array, node: Node): Node[] {
  const out: Node[] = [];
  for (let at = node.start; at < node.end;) {
    const child = read(buf, at, node.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

const expect = (n: Node | undefined, tag: number, what: string): Node => {
  if (!n || n.tag !== tag) throw new DerError(`expected ${what}`);
  return n;
};

export interface ParsedTimeStampResp {
  /** PKIStatus: 0 granted, 1 grantedWithMods, 2 rejection, 3 waiting, 4/5 revocation notices. */
  status: number;
  /** The DER TimeStampToken (a CMS ContentInfo) when granted. */
  token?: Uint8Array;
  genTime?: string;
  serialNumber?: string;
  hashedMessage?: Uint8Array;
  nonce?: Uint8Array;
}

function generalizedTime(text: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(text);
  if (!m) throw new DerError('bad GeneralizedTime');
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}Z`;
}

/** Reads status, token and the TSTInfo fields the node checks (imprint, nonce, genTime). */
export function parseTimeStampResp(der: Uint8Array): ParsedTimeStampResp {
  const top = expect(read(der, 0, der.length), 0x30, 'TimeStampResp');
  const [statusInfo, token] = children(der, top);
  const statusInt = expect(
    children(der, expect(statusInfo, 0x30, 'PKIStatusInfo'))[0],
    0x02,
    'status',
  );
  const status = der[statusInt.end - 1]!;
  if (!token) return { status };
  const tokenAt = tokenStartOf(der, token);
  const [, signedWrap] = children(der, expect(token, 0x30, 'ContentInfo'));
  const signedData = expect(children(der, expect(signedWrap, 0xa0, '[0]'))[0], 0x30, 'SignedData');
  const encap = expect(children(der, signedData)[2], 0x30, 'EncapsulatedContentInfo');
  const eContentWrap = expect(children(der, encap)[1], 0xa0, 'eContent');
  const octets = expect(children(der, eContentWrap)[0], 0x04, 'eContent OCTET STRING');
  const tst = expect(read(der, octets.start, octets.end), 0x30, 'TSTInfo');
  const fields = children(der, tst);
  const imprint = children(der, expect(fields[2], 0x30, 'MessageImprint'));
  const hashed = expect(imprint[1], 0x04, 'hashedMessage');
  const serial = expect(fields[3], 0x02, 'serialNumber');
  const gen = expect(fields[4], 0x18, 'genTime');
  const nonce = fields.slice(5).find((f) => f.tag === 0x02);
  const strip = (n: Node) => {
    let s = n.start;
    while (s < n.end - 1 && der[s] === 0) s++;
    return der.slice(s, n.end);
  };
  return {
    status,
    token: der.slice(tokenAt, token.end),
    genTime: generalizedTime(Buffer.from(der.subarray(gen.start, gen.end)).toString('ascii')),
    serialNumber: Buffer.from(der.subarray(serial.start, serial.end)).toString('hex'),
    hashedMessage: der.slice(hashed.start, hashed.end),
    ...(nonce && { nonce: strip(nonce) }),
  };
}

/** Where the TLV of `node` begins (its header precedes `start`). */
function tokenStartOf(der: Uint8Array, node: Node): number {
  // Walk the top-level children again: the token is the second one.
  const top = read(der, 0, der.length);
  for (let at = top.start; at < top.end;) {
    const child = read(der, at, top.end);
    if (child.start === node.start) return at;
    at = child.end;
  }
  throw new DerError('token not found');
}

export type StampResult =
  | { ok: true; token: Buffer; genTime: string; serialNumber: string }
  | { ok: false; message: string };

export interface TimestampClient {
  stamp(digest: Uint8Array): Promise<StampResult>;
}

/** Checks a response against the request it answers: granted, same imprint, same nonce. */
export function acceptTimeStampResp(
  der: Uint8Array,
  digest: Uint8Array,
  nonce: Uint8Array,
): StampResult {
  let parsed: ParsedTimeStampResp;
  try {
    parsed = parseTimeStampResp(der);
  } catch (e) {
    return {
      ok: false,
      message: `unreadable TimeStampResp: ${e instanceof Error ? e.message : 'bad DER'}`,
    };
  }
  if (parsed.status > 1 || !parsed.token) {
    return { ok: false, message: `the TSA refused the request (PKIStatus ${parsed.status})` };
  }
  if (!parsed.hashedMessage || !Buffer.from(parsed.hashedMessage).equals(Buffer.from(digest))) {
    return { ok: false, message: 'the timestamp is for another digest' };
  }
  const want = Buffer.from(nonce).subarray(Buffer.from(nonce).findIndex((b) => b !== 0));
  if (!parsed.nonce || !Buffer.from(parsed.nonce).equals(want)) {
    return { ok: false, message: 'the timestamp does not carry the request nonce' };
  }
  return {
    ok: true,
    token: Buffer.from(parsed.token),
    genTime: parsed.genTime ?? '',
    serialNumber: parsed.serialNumber ?? '',
  };
}

/** An RFC 3161 client over HTTP POST (application/timestamp-query). */
export function createTsaClient(options: {
  url: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}): TimestampClient {
  const doFetch = options.fetch ?? fetch;
  return {
    async stamp(digest) {
      const nonce = randomBytes(8);
      nonce[0] = nonce[0]! | 0x01; // never a zero leading byte: the nonce keeps all 8 bytes
      try {
        const res = await doFetch(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/timestamp-query' },
          body: Buffer.from(encodeTimeStampReq(digest, nonce)),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        if (!res.ok) return { ok: false, message: `the TSA answered HTTP ${res.status}` };
        return acceptTimeStampResp(new Uint8Array(await res.arrayBuffer()), digest, nonce);
      } catch (e) {
        return {
          ok: false,
          message: `the TSA is unreachable: ${e instanceof Error ? e.message : String(e)}`,
        };
      }
    },
  };
}

// RFC 9497 (ristretto255-SHA512, mode 0) and RFC 9380 (expand_message_xmd SHA-512) vectors, and
// the refusals that keep a malicious peer from probing the OPRF key.
import { fc, test as propTest } from '@fast-check/vitest';
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import {
  blind,
  blindBatch,
  blindEvaluate,
  blindEvaluateBatch,
  CONTEXT_STRING,
  deriveKeyPair,
  evaluate,
  expandMessageXmd,
  finalize,
  finalizeBatch,
  HASH_TO_GROUP_DST,
  InvalidInputError,
  InvalidPointError,
  InvalidScalarError,
  MAX_INPUT_BYTES,
} from '../../../src/privacy/oprf.js';
import { getSodium } from '../../../src/privacy/sodium.js';

const fromHex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

// RFC 9497 Appendix A.1.1 (ristretto255-SHA512, OPRF mode).
const SEED = fromHex('a3'.repeat(32));
const KEY_INFO = fromHex('74657374206b6579'); // "test key"
const SK_SM = '5ebcea5ee37023ccb9fc2d2019f9d7737be85591ae8652ffa9ef0f4d37063b0e';
const BLIND = '64d37aed22a27f5191de1c1d69fadb899d8862b58eb4220029e036ec4c1f6706';
const VECTORS = [
  {
    name: 'Test Vector 1, Batch Size 1',
    input: '00',
    blindedElement: '609a0ae68c15a3cf6903766461307e5c8bb2f95e7e6550e1ffa2dc99e412803c',
    evaluationElement: '7ec6578ae5120958eb2db1745758ff379e77cb64fe77b0b2d8cc917ea0869c7e',
    output:
      '527759c3d9366f277d8c6020418d96bb393ba2afb20ff90df23fb7708264e2f3' +
      'ab9135e3bd69955851de4b1f9fe8a0973396719b7912ba9ee8aa7d0b5e24bcf6',
  },
  {
    name: 'Test Vector 2, Batch Size 1',
    input: '5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a',
    blindedElement: 'da27ef466870f5f15296299850aa088629945a17d1f5b7f5ff043f76b3c06418',
    evaluationElement: 'b4cbf5a4f1eeda5a63ce7b77c7d23f461db3fcab0dd28e4e17cecb5c90d02c25',
    output:
      'f4a74c9c592497375e796aa837e907b1a045d34306a749db9f34221f7e750cb4' +
      'f2a6413a6bf6fa5e19ba6348eb673934a722a7ede2e7621306d18951e7cf2c73',
  },
];

// The ristretto255 identity, and encodings RFC 9496 Appendix A.2 lists as invalid.
const IDENTITY = new Uint8Array(32);
const NON_CANONICAL = {
  'field element ≥ p (p itself, a non-canonical identity)':
    'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'non-canonical field encoding':
    '00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  'negative field element': '0100000000000000000000000000000000000000000000000000000000000000',
  'non-square x²': '26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371',
  // The generator's encoding with bit 255 set: a valid point spelled a second way.
  'generator + 2^255': 'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2df6',
};
// The group order L, little-endian: not a reduced scalar.
const ORDER_L = 'edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010';

describe('RFC 9380 expand_message_xmd (SHA-512), Appendix K.3', () => {
  const DST = 'QUUX-V01-CS02-with-expander-SHA512-256';
  it.each([
    ['', 0x20, '6b9a7312411d92f921c6f68ca0b6380730a1a4d982c507211a90964c394179ba'],
    ['abc', 0x20, '0da749f12fbe5483eb066a5f595055679b976e93abe9be6f0f6318bce7aca8dc'],
    ['abcdef0123456789', 0x20, '087e45a86e2939ee8b91100af1583c4938e0f5fc6c9db4b107b83346bc967f58'],
    [
      '',
      0x80,
      '41b037d1734a5f8df225dd8c7de38f851efdb45c372887be655212d07251b921' +
        'b052b62eaed99b46f72f2ef4cc96bfaf254ebbbec091e1a3b9e4fb5e5b619d2e' +
        '0c5414800a1d882b62bb5cd1778f098b8eb6cb399d5d9d18f5d5842cf5d13d7e' +
        'b00a7cff859b605da678b318bd0e65ebff70bec88c753b159a805d2c89c55961',
    ],
  ])('msg %j, len %i', (msg, len, expected) => {
    expect(toHex(expandMessageXmd(utf8(msg), DST, len))).toBe(expected);
  });

  it('refuses an empty or over-long DST and out-of-range lengths', () => {
    expect(() => expandMessageXmd(utf8('x'), '', 32)).toThrow(RangeError);
    expect(() => expandMessageXmd(utf8('x'), 'D'.repeat(256), 32)).toThrow(RangeError);
    expect(() => expandMessageXmd(utf8('x'), 'D', 0)).toThrow(RangeError);
    expect(() => expandMessageXmd(utf8('x'), 'D', 255 * 64 + 1)).toThrow(RangeError);
    expect(expandMessageXmd(utf8('x'), 'D', 255 * 64)).toHaveLength(255 * 64);
  });
});

describe('RFC 9497 ristretto255-SHA512, OPRF mode, Appendix A.1.1', () => {
  it('builds the context string and the HashToGroup DST of the RFC', () => {
    expect(toHex(CONTEXT_STRING)).toBe(toHex(utf8('OPRFV1-\u0000-ristretto255-SHA512')));
    expect(toHex(HASH_TO_GROUP_DST)).toBe(
      '48617368546f47726f75702d4f50524656312d002d72697374726574746f3235352d534841353132',
    );
  });

  it('DeriveKeyPair(seed, "test key") gives skSm', async () => {
    const { secretKey, publicKey } = await deriveKeyPair(SEED, KEY_INFO);
    expect(toHex(secretKey)).toBe(SK_SM);
    const s = await getSodium();
    expect(toHex(publicKey)).toBe(toHex(s.crypto_scalarmult_ristretto255_base(secretKey)));
  });

  it.each(VECTORS)('$name: blind, blind-evaluate and finalize byte for byte', async (v) => {
    const input = fromHex(v.input);
    const b = await blind(input, fromHex(BLIND));
    expect(toHex(b.blind)).toBe(BLIND);
    expect(toHex(b.blindedElement)).toBe(v.blindedElement);
    const evaluated = await blindEvaluate(fromHex(SK_SM), b.blindedElement);
    expect(toHex(evaluated)).toBe(v.evaluationElement);
    const output = await finalize(input, b.blind, evaluated);
    expect(toHex(output)).toBe(v.output);
    expect(toHex(await evaluate(fromHex(SK_SM), input))).toBe(v.output);
  });

  it('runs the vectors as a batch too', async () => {
    const sk = fromHex(SK_SM);
    const evaluated = await blindEvaluateBatch(
      sk,
      VECTORS.map((v) => fromHex(v.blindedElement)),
    );
    expect(evaluated.map(toHex)).toEqual(VECTORS.map((v) => v.evaluationElement));
    const outputs = await finalizeBatch(
      VECTORS.map((v) => fromHex(v.input)),
      VECTORS.map(() => fromHex(BLIND)),
      evaluated,
    );
    expect(outputs.map(toHex)).toEqual(VECTORS.map((v) => v.output));
  });
});

describe('the OPRF protocol', () => {
  it('blind → blindEvaluate → finalize equals the server-side evaluate', async () => {
    const { secretKey } = await deriveKeyPair(new Uint8Array(32).fill(7), 'period 2026-11');
    const input = utf8('phone\u0000+8613800138000');
    const b = await blind(input);
    const output = await finalize(input, b.blind, await blindEvaluate(secretKey, b.blindedElement));
    expect(output).toHaveLength(64);
    expect(toHex(output)).toBe(toHex(await evaluate(secretKey, input)));
  });

  it('two different blinds hide the input yet give the same output', async () => {
    const { secretKey } = await deriveKeyPair(new Uint8Array(32).fill(9), 'k');
    const input = utf8('email\u0000seller@example.com');
    const [b1, b2] = [await blind(input), await blind(input)];
    expect(toHex(b1.blind)).not.toBe(toHex(b2.blind));
    expect(toHex(b1.blindedElement)).not.toBe(toHex(b2.blindedElement));
    const o1 = await finalize(input, b1.blind, await blindEvaluate(secretKey, b1.blindedElement));
    const o2 = await finalize(input, b2.blind, await blindEvaluate(secretKey, b2.blindedElement));
    expect(toHex(o1)).toBe(toHex(o2));
  });

  it('different keys and different inputs give different outputs', async () => {
    const k1 = (await deriveKeyPair(new Uint8Array(32).fill(1), 'p1')).secretKey;
    const k2 = (await deriveKeyPair(new Uint8Array(32).fill(1), 'p2')).secretKey;
    const input = utf8('x');
    expect(toHex(await evaluate(k1, input))).not.toBe(toHex(await evaluate(k2, input)));
    expect(toHex(await evaluate(k1, input))).not.toBe(toHex(await evaluate(k1, utf8('y'))));
  });

  it('handles a batch of 1000 blinded elements', async () => {
    const { secretKey } = await deriveKeyPair(new Uint8Array(32).fill(3), 'batch');
    const inputs = Array.from({ length: 1000 }, (_, i) => utf8(`phone\u0000+86138${i}`));
    const blinded = await blindBatch(inputs);
    const evaluated = await blindEvaluateBatch(
      secretKey,
      blinded.map((b) => b.blindedElement),
    );
    const outputs = await finalizeBatch(
      inputs,
      blinded.map((b) => b.blind),
      evaluated,
    );
    expect(outputs).toHaveLength(1000);
    expect(new Set(outputs.map(toHex)).size).toBe(1000);
    expect(toHex(outputs[417]!)).toBe(toHex(await evaluate(secretKey, inputs[417]!)));
  }, 30_000);

  it('refuses inputs longer than 65535 bytes', async () => {
    await expect(blind(new Uint8Array(MAX_INPUT_BYTES + 1))).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(blind(new Uint8Array(MAX_INPUT_BYTES))).resolves.toBeDefined();
  });
});

describe('point validation', () => {
  const sk = fromHex(SK_SM);

  it('refuses the identity with a typed error', async () => {
    const err: unknown = await blindEvaluate(sk, IDENTITY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidPointError);
    expect((err as InvalidPointError).code).toBe('INVALID_POINT');
    expect((err as InvalidPointError).message).toMatch(/identity/);
  });

  it.each(Object.entries(NON_CANONICAL))('refuses a bad encoding: %s', async (_, h) => {
    await expect(blindEvaluate(sk, fromHex(h))).rejects.toBeInstanceOf(InvalidPointError);
  });

  it('refuses elements of the wrong length', async () => {
    await expect(blindEvaluate(sk, new Uint8Array(31))).rejects.toBeInstanceOf(InvalidPointError);
    await expect(blindEvaluate(sk, new Uint8Array(33))).rejects.toBeInstanceOf(InvalidPointError);
  });

  it('refuses random 32-byte strings that are not points', async () => {
    const s = await getSodium();
    let refused = 0;
    for (let i = 0; refused < 20 && i < 1000; i++) {
      const bytes = s.randombytes_buf(32);
      if (s.crypto_core_ristretto255_is_valid_point(bytes)) continue;
      await expect(blindEvaluate(sk, bytes)).rejects.toBeInstanceOf(InvalidPointError);
      refused++;
    }
    expect(refused).toBe(20);
  });

  propTest.prop([fc.uint8Array({ minLength: 32, maxLength: 32 })])(
    'accepts exactly the canonical non-identity encodings',
    async (bytes) => {
      const s = await getSodium();
      const valid = s.crypto_core_ristretto255_is_valid_point(bytes) && bytes.some((b) => b !== 0);
      const result = await blindEvaluate(sk, bytes).then(
        () => 'ok',
        (e: unknown) => (e instanceof InvalidPointError ? 'refused' : 'other'),
      );
      expect(result).toBe(valid ? 'ok' : 'refused');
    },
  );

  it('refuses a whole batch with one bad element, naming its index', async () => {
    const good = (await blind(utf8('a'))).blindedElement;
    const err: unknown = await blindEvaluateBatch(sk, [good, good, IDENTITY]).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InvalidPointError);
    expect((err as InvalidPointError).index).toBe(2);
  });

  it('the client refuses a bad evaluated element too', async () => {
    const b = await blind(utf8('a'));
    await expect(finalize(utf8('a'), b.blind, IDENTITY)).rejects.toBeInstanceOf(InvalidPointError);
  });
});

describe('scalar validation', () => {
  const element = fromHex(VECTORS[0]!.blindedElement);

  it('refuses a zero, unreduced or wrongly sized key', async () => {
    await expect(blindEvaluate(new Uint8Array(32), element)).rejects.toBeInstanceOf(
      InvalidScalarError,
    );
    await expect(blindEvaluate(fromHex(ORDER_L), element)).rejects.toBeInstanceOf(
      InvalidScalarError,
    );
    await expect(blindEvaluate(new Uint8Array(31).fill(1), element)).rejects.toBeInstanceOf(
      InvalidScalarError,
    );
  });

  it('refuses a zero or unreduced blind', async () => {
    await expect(blind(utf8('a'), new Uint8Array(32))).rejects.toBeInstanceOf(InvalidScalarError);
    await expect(blind(utf8('a'), fromHex(ORDER_L))).rejects.toBeInstanceOf(InvalidScalarError);
  });

  it('draws random blinds that are reduced and non-zero', async () => {
    const s = await getSodium();
    for (const { blind: r } of await blindBatch(Array.from({ length: 50 }, () => utf8('z')))) {
      const wide = new Uint8Array(64);
      wide.set(r);
      expect(toHex(s.crypto_core_ristretto255_scalar_reduce(wide))).toBe(toHex(r));
      expect(r.some((x) => x !== 0)).toBe(true);
    }
  });

  it('refuses a seed of the wrong length', async () => {
    await expect(deriveKeyPair(new Uint8Array(31), 'x')).rejects.toThrow(/seed must be 32 bytes/);
  });
});

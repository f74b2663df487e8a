// Envelopes per second, sealed and opened through Palisade's functions (all checks included) vs
// the raw jose calls they wrap (sign+encrypt, decrypt+verify), in the same run. Prints JSON.
import { CompactEncrypt, CompactSign, compactDecrypt, compactVerify, importJWK } from 'jose';
import { MemoryReplayGuard, openEnvelope, sealEnvelope } from '../../src/federation/envelope.js';
import { generateNodeKeys } from '../../src/federation/keys.js';
import { toPublicJwk } from '../../src/federation/jwk-import.js';

const N = Number(process.env['BENCH_N'] ?? 2000);
const payload = {
  items: Array.from({ length: 20 }, (_, i) => ({ ref: `r${i}`, token: 'x'.repeat(43) })),
};

async function rate(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(200, n); i++) await fn(i); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return Math.round((n / (performance.now() - t0)) * 1000);
}

const sender = await generateNodeKeys();
const recipient = await generateNodeKeys();
const encPub = toPublicJwk(recipient.encryption);
const seal = (now = new Date()) =>
  sealEnvelope({
    senderId: 'a',
    senderSigningKey: sender.signing,
    recipientId: 'b',
    recipientEncryptionPublicJwk: encPub,
    messageType: 'palisade.test.note',
    payload,
    ttlSeconds: 300,
    now,
  });
const sealed = await Promise.all(Array.from({ length: N + 200 }, () => seal()));
const guard = new MemoryReplayGuard();
const ctx = {
  selfId: 'b',
  decryptionKeys: [recipient.encryption],
  lookupSender: () =>
    Promise.resolve({
      status: 'active' as const,
      role: 'partner',
      signingKeys: [toPublicJwk(sender.signing)],
    }),
  allowedMessageTypes: () => new Set(['palisade.test.note']),
  maxBytes: 1_048_576,
  maxClockSkewSeconds: 60,
  maxTtlSeconds: 3600,
  replayGuard: guard,
};

const sigKey = await importJWK(sender.signing, 'EdDSA');
const verKey = await importJWK(toPublicJwk(sender.signing), 'EdDSA');
const encKey = await importJWK(encPub, 'ECDH-ES+A256KW');
const decKey = await importJWK(recipient.encryption, 'ECDH-ES+A256KW');
const enc = new TextEncoder();
const rawSeal = async () => {
  const jws = await new CompactSign(enc.encode(JSON.stringify({ iss: 'a', aud: 'b', payload })))
    .setProtectedHeader({ alg: 'EdDSA', kid: sender.signing.kid, typ: 'palisade-msg+jwt' })
    .sign(sigKey);
  return new CompactEncrypt(enc.encode(jws))
    .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: encPub.kid, cty: 'JWT' })
    .encrypt(encKey);
};
const rawSealed = await Promise.all(Array.from({ length: N + 200 }, rawSeal));
const rawOpen = async (i: number) => {
  const { plaintext } = await compactDecrypt(rawSealed[i]!, decKey);
  return compactVerify(new TextDecoder().decode(plaintext), verKey);
};

const palisadeSeal = await rate(N, () => seal());
const joseSeal = await rate(N, rawSeal);
let k = 0;
const palisadeOpen = await rate(N, () => openEnvelope(sealed[k++]!, ctx));
const joseOpen = await rate(N, rawOpen);
console.log(
  JSON.stringify(
    {
      bench: 'federation-envelopes',
      envelopes: N,
      payloadBytes: JSON.stringify(payload).length,
      perSecond: { palisadeSeal, joseSeal, palisadeOpen, joseOpen },
      ratio: {
        seal: Math.round((palisadeSeal / joseSeal) * 100) / 100,
        open: Math.round((palisadeOpen / joseOpen) * 100) / 100,
      },
    },
    null,
    2,
  ),
);

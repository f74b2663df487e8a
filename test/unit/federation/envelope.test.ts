import { beforeAll, describe, expect, it } from 'vitest';
import {
  BadSignatureError,
  DecryptFailedError,
  EnvelopeRefusedError,
  ExpiredError,
  MalformedError,
  MemoryReplayGuard,
  MessageTypeNotAllowedError,
  newJti,
  NotYetValidError,
  openEnvelope,
  REFUSAL_REASONS,
  ReplayError,
  SenderRevokedError,
  SenderSuspendedError,
  signAcknowledgement,
  signRequestToken,
  TooLargeError,
  TtlTooLongError,
  UnknownKeyError,
  UnknownSenderError,
  verifyAcknowledgement,
  verifyRequestToken,
  WrongAudienceError,
} from '../../../src/federation/envelope.js';
import { toPublicJwk } from '../../../src/federation/jwk-import.js';
import { generateNodeKeys } from '../../../src/federation/keys.js';
import {
  encryptRaw,
  handMadeEnvelope,
  handMadeJws,
  makeWorld,
  NOW,
  NOW_S,
  refusalOf,
  type World,
} from './fixtures.js';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});

describe('an envelope sealed by A for B', () => {
  it('opens at B with its sender, type and payload', async () => {
    const compact = await w.seal();
    const opened = await openEnvelope(compact, w.ctx());
    expect(opened.senderId).toBe('brand-a');
    expect(opened.messageType).toBe('indicator.share');
    expect(opened.payload).toEqual({
      indicators: [{ type: 'phone', token: 'dG9rZW4' }],
      tlp: 'GREEN',
    });
    expect(opened.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(opened.expiresAt - opened.issuedAt).toBe(300);
    expect(opened.signingKid).toBe(w.a.signing.kid);
    expect(opened.recipientKid).toBe(w.b.encryption.kid);
  });

  it('shows observers only the recipient key id, never the sender', async () => {
    const compact = await w.seal();
    const header = JSON.parse(Buffer.from(compact.split('.')[0]!, 'base64url').toString('utf8'));
    expect(Object.keys(header).sort()).toEqual(['alg', 'cty', 'enc', 'epk', 'kid']);
    expect(header).toMatchObject({
      alg: 'ECDH-ES+A256KW',
      enc: 'A256GCM',
      cty: 'JWT',
      kid: w.b.encryption.kid,
    });
    expect(compact).not.toContain('brand-a');
  });

  it('still opens with B’s previous encryption key during a rotation overlap', async () => {
    const next = await generateNodeKeys(NOW);
    const compact = await w.seal(); // sealed to the old key, e.g. from A's outbox
    const opened = await openEnvelope(
      compact,
      w.ctx({ decryptionKeys: [next.encryption, w.b.encryption] }),
    );
    expect(opened.recipientKid).toBe(w.b.encryption.kid);
  });

  it('keeps a caller-chosen jti so a re-sealed outbox message keeps its idempotency key', async () => {
    const jti = newJti();
    expect((await openEnvelope(await w.seal({ jti }), w.ctx())).jti).toBe(jti);
  });
});

describe('each refusal has its own reason', () => {
  it('has one error class per reason code', () => {
    expect(REFUSAL_REASONS).toHaveLength(14);
  });

  it('refuses an oversized envelope before parsing it: TOO_LARGE', async () => {
    const compact = await w.seal({ payload: { blob: 'x'.repeat(70_000) } });
    const e = await refusalOf(openEnvelope(compact, w.ctx()));
    expect(e).toBeInstanceOf(TooLargeError);
    expect(e.reason).toBe('TOO_LARGE');
    // Size comes first: even garbage of that size is TOO_LARGE, not MALFORMED.
    expect((await refusalOf(openEnvelope('!'.repeat(70_000), w.ctx()))).reason).toBe('TOO_LARGE');
  });

  it('refuses a truncated compact string: MALFORMED or DECRYPT_FAILED, never accepted', async () => {
    const compact = await w.seal();
    expect(
      await refusalOf(openEnvelope(compact.slice(0, compact.lastIndexOf('.')), w.ctx())),
    ).toBeInstanceOf(MalformedError);
    const e = await refusalOf(openEnvelope(compact.slice(0, -5), w.ctx()));
    expect(['MALFORMED', 'DECRYPT_FAILED']).toContain(e.reason);
  });

  it('refuses garbage, non-strings and other JWE algorithms: MALFORMED', async () => {
    expect((await refusalOf(openEnvelope('hello', w.ctx()))).reason).toBe('MALFORMED');
    expect((await refusalOf(openEnvelope(42 as unknown as string, w.ctx()))).reason).toBe(
      'MALFORMED',
    );
    const jws = await handMadeJws(
      w.a.signing,
      { kid: w.a.signing.kid, typ: 'palisade-msg+jwt' },
      { iss: 'brand-a' },
    );
    const dirAlg = await encryptRaw(jws, w.bEncryptionPublic, { alg: 'ECDH-ES' });
    expect((await refusalOf(openEnvelope(dirAlg, w.ctx()))).reason).toBe('MALFORMED');
    const extraMember = await encryptRaw(jws, w.bEncryptionPublic, { zip: 'DEF' });
    expect((await refusalOf(openEnvelope(extraMember, w.ctx()))).reason).toBe('MALFORMED');
  });

  it('refuses another spelling of the same bytes (unused base64url bits set): MALFORMED', async () => {
    // jose alone would decode this to the same tag and accept it.
    const parts = (await w.seal()).split('.');
    const tag = parts[4]!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    parts[4] = tag.slice(0, -1) + alphabet[alphabet.indexOf(tag.at(-1)!) ^ 1];
    expect(Buffer.from(parts[4], 'base64url')).toEqual(Buffer.from(tag, 'base64url'));
    expect((await refusalOf(openEnvelope(parts.join('.'), w.ctx()))).reason).toBe('MALFORMED');
  });

  it('refuses an envelope for another key or with a changed ciphertext: DECRYPT_FAILED', async () => {
    const other = await generateNodeKeys(NOW);
    const forOther = await w.seal({ recipientEncryptionPublicJwk: toPublicJwk(other.encryption) });
    expect(await refusalOf(openEnvelope(forOther, w.ctx()))).toBeInstanceOf(DecryptFailedError);
    const parts = (await w.seal()).split('.');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    parts[3] = ct.toString('base64url');
    expect(await refusalOf(openEnvelope(parts.join('.'), w.ctx()))).toBeInstanceOf(
      DecryptFailedError,
    );
  });

  it('refuses a sender not in the registry: UNKNOWN_SENDER', async () => {
    const compact = await w.seal({ senderId: 'brand-x', senderSigningKey: w.stranger.signing });
    const e = await refusalOf(openEnvelope(compact, w.ctx()));
    expect(e).toBeInstanceOf(UnknownSenderError);
    expect(e.senderId).toBeUndefined(); // an unverified claim is not attributed
  });

  it('refuses a revoked sender at once: SENDER_REVOKED', async () => {
    const compact = await w.seal();
    const record = w.registry.get('brand-a')!;
    const ctx = w.ctx({ lookupSender: () => Promise.resolve({ ...record, status: 'revoked' }) });
    const e = await refusalOf(openEnvelope(compact, ctx));
    expect(e).toBeInstanceOf(SenderRevokedError);
    expect(e.senderId).toBe('brand-a');
  });

  it('refuses a suspended sender: SENDER_SUSPENDED', async () => {
    const compact = await w.seal();
    const record = w.registry.get('brand-a')!;
    const ctx = w.ctx({ lookupSender: () => Promise.resolve({ ...record, status: 'suspended' }) });
    expect(await refusalOf(openEnvelope(compact, ctx))).toBeInstanceOf(SenderSuspendedError);
  });

  it('refuses a signature forged with another key under A’s kid: BAD_SIGNATURE', async () => {
    const forged = await handMadeEnvelope({
      signWith: w.stranger.signing,
      jwsHeader: { kid: w.a.signing.kid, typ: 'palisade-msg+jwt' },
      claims: {
        iss: 'brand-a',
        aud: 'brand-b',
        iat: NOW_S,
        exp: NOW_S + 60,
        jti: newJti(),
        mt: 'indicator.share',
        payload: {},
      },
      encryptTo: w.bEncryptionPublic,
    });
    const e = await refusalOf(openEnvelope(forged, w.ctx()));
    expect(e).toBeInstanceOf(BadSignatureError);
    expect(e.jti).toBeUndefined();
  });

  it('refuses a message signed with a key A does not hold (any more): UNKNOWN_KEY', async () => {
    const compact = await w.seal({ senderSigningKey: w.stranger.signing });
    expect(await refusalOf(openEnvelope(compact, w.ctx()))).toBeInstanceOf(UnknownKeyError);
  });

  it('refuses an envelope addressed to another node: WRONG_AUDIENCE', async () => {
    const compact = await w.seal({ recipientId: 'brand-c' });
    const e = await refusalOf(openEnvelope(compact, w.ctx()));
    expect(e).toBeInstanceOf(WrongAudienceError);
    expect(e.senderId).toBe('brand-a');
    expect(e.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('refuses an expired envelope: EXPIRED', async () => {
    const compact = await w.seal({ now: new Date(NOW.getTime() - 600_000), ttlSeconds: 300 });
    expect(await refusalOf(openEnvelope(compact, w.ctx()))).toBeInstanceOf(ExpiredError);
  });

  it('accepts a clock skew within the bound but refuses iat further in the future: NOT_YET_VALID', async () => {
    const slightly = await w.seal({ now: new Date(NOW.getTime() + 30_000) });
    await expect(openEnvelope(slightly, w.ctx())).resolves.toBeDefined();
    const far = await w.seal({ now: new Date(NOW.getTime() + 120_000) });
    expect(await refusalOf(openEnvelope(far, w.ctx()))).toBeInstanceOf(NotYetValidError);
  });

  it('refuses a lifetime above the maximum: TTL_TOO_LONG', async () => {
    const compact = await w.seal({ ttlSeconds: 7200 });
    expect(await refusalOf(openEnvelope(compact, w.ctx()))).toBeInstanceOf(TtlTooLongError);
  });

  it('refuses a message type the sender’s role may not send: MESSAGE_TYPE_NOT_ALLOWED', async () => {
    const compact = await w.seal({ messageType: 'report.aggregate' });
    const e = await refusalOf(openEnvelope(compact, w.ctx()));
    expect(e).toBeInstanceOf(MessageTypeNotAllowedError);
    expect(e.messageType).toBe('report.aggregate');
  });

  it('refuses the same envelope a second time: REPLAY', async () => {
    const compact = await w.seal();
    const ctx = w.ctx();
    await openEnvelope(compact, ctx);
    const e = await refusalOf(openEnvelope(compact, ctx));
    expect(e).toBeInstanceOf(ReplayError);
    expect(e.senderId).toBe('brand-a');
  });

  it('does not let a forged message burn a jti: the genuine message with that jti is still accepted', async () => {
    const jti = newJti();
    const ctx = w.ctx();
    const forged = await handMadeEnvelope({
      signWith: w.stranger.signing,
      jwsHeader: { kid: w.a.signing.kid, typ: 'palisade-msg+jwt' },
      claims: {
        iss: 'brand-a',
        aud: 'brand-b',
        iat: NOW_S,
        exp: NOW_S + 60,
        jti,
        mt: 'indicator.share',
        payload: {},
      },
      encryptTo: w.bEncryptionPublic,
    });
    expect((await refusalOf(openEnvelope(forged, ctx))).reason).toBe('BAD_SIGNATURE');
    expect((await openEnvelope(await w.seal({ jti }), ctx)).jti).toBe(jti);
  });

  it('does not accept a peer request token re-encrypted as an envelope (typ confusion): MALFORMED', async () => {
    const token = await signRequestToken({
      issuerId: 'brand-a',
      signingKey: w.a.signing,
      audienceId: 'brand-b',
      now: NOW,
    });
    const envelope = await encryptRaw(token, w.bEncryptionPublic);
    expect((await refusalOf(openEnvelope(envelope, w.ctx()))).reason).toBe('MALFORMED');
  });

  it('never puts payload content or key material in a refusal message', async () => {
    const compact = await w.seal({ recipientId: 'brand-c', payload: { secret: 'PAYLOAD-CANARY' } });
    const e = await refusalOf(openEnvelope(compact, w.ctx()));
    const text = `${e.message} ${JSON.stringify(e)}`;
    expect(text).not.toContain('PAYLOAD-CANARY');
    for (const k of [w.a.signing, w.b.encryption]) {
      expect(text).not.toContain(k.d);
      expect(text).not.toContain(k.x);
    }
    expect(e).toBeInstanceOf(EnvelopeRefusedError);
    expect(e.name).toBe('WrongAudienceError');
  });
});

describe('peer request tokens', () => {
  const ctx = () => ({
    selfId: 'brand-b',
    lookupSender: (iss: string) => Promise.resolve(w.registry.get(iss) ?? null),
    maxClockSkewSeconds: 30,
    now: () => NOW,
    replayGuard: new MemoryReplayGuard({ now: () => NOW }),
  });
  const sign = (over: { audienceId?: string; ttlSeconds?: number; now?: Date } = {}) =>
    signRequestToken({
      issuerId: 'brand-a',
      signingKey: w.a.signing,
      audienceId: 'brand-b',
      now: NOW,
      ...over,
    });

  it('verifies a token for this node once, and refuses its reuse', async () => {
    const token = await sign();
    const c = ctx();
    const v = await verifyRequestToken(token, c);
    expect(v.senderId).toBe('brand-a');
    expect(v.expiresAt - v.issuedAt).toBe(60);
    expect((await refusalOf(verifyRequestToken(token, c))).reason).toBe('REPLAY');
  });

  it('refuses a token for another node, an expired one, and one from an unknown key', async () => {
    expect(
      (await refusalOf(verifyRequestToken(await sign({ audienceId: 'brand-c' }), ctx()))).reason,
    ).toBe('WRONG_AUDIENCE');
    const old = await sign({ now: new Date(NOW.getTime() - 400_000) });
    expect((await refusalOf(verifyRequestToken(old, ctx()))).reason).toBe('EXPIRED');
    const stranger = await signRequestToken({
      issuerId: 'brand-a',
      signingKey: w.stranger.signing,
      audienceId: 'brand-b',
      now: NOW,
    });
    expect((await refusalOf(verifyRequestToken(stranger, ctx()))).reason).toBe('UNKNOWN_KEY');
  });

  it('cannot be signed for more than five minutes, and longer hand-made tokens are refused', async () => {
    await expect(sign({ ttlSeconds: 301 })).rejects.toThrow(RangeError);
    const long = await handMadeJws(
      w.a.signing,
      { kid: w.a.signing.kid, typ: 'palisade-peer+jwt' },
      { iss: 'brand-a', aud: 'brand-b', iat: NOW_S, exp: NOW_S + 3600, jti: newJti() },
    );
    expect((await refusalOf(verifyRequestToken(long, ctx()))).reason).toBe('TTL_TOO_LONG');
  });

  it('refuses a token whose signature character was changed', async () => {
    const token = await sign();
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    const e = await refusalOf(verifyRequestToken(token.slice(0, -1) + last, ctx()));
    expect(['MALFORMED', 'BAD_SIGNATURE']).toContain(e.reason);
  });
});

describe('signed acknowledgements', () => {
  it('carry the jti, reception time and status, signed by the recipient', async () => {
    const jti = newJti();
    const ack = await signAcknowledgement(jti, {
      signerId: 'brand-b',
      signingKey: w.b.signing,
      recipientId: 'brand-a',
      status: 'accepted',
      receivedAt: NOW,
      now: NOW,
    });
    const v = await verifyAcknowledgement(ack, {
      selfId: 'brand-a',
      peerId: 'brand-b',
      peerSigningKeys: [toPublicJwk(w.b.signing)],
      expectedJti: jti,
      now: () => NOW,
    });
    expect(v).toEqual({
      signerId: 'brand-b',
      jti,
      status: 'accepted',
      receivedAt: NOW_S,
      issuedAt: NOW_S,
    });
  });

  it('are refused when signed by someone else or for another message', async () => {
    const jti = newJti();
    const input = {
      signerId: 'brand-b',
      recipientId: 'brand-a',
      status: 'refused' as const,
      reason: 'EXPIRED' as const,
      receivedAt: NOW,
      now: NOW,
    };
    const byB = await signAcknowledgement(jti, { ...input, signingKey: w.b.signing });
    const ctx = {
      selfId: 'brand-a',
      peerId: 'brand-b',
      peerSigningKeys: [toPublicJwk(w.b.signing)],
      now: () => NOW,
    };
    expect((await verifyAcknowledgement(byB, ctx)).reason).toBe('EXPIRED');
    expect(
      (await refusalOf(verifyAcknowledgement(byB, { ...ctx, expectedJti: newJti() }))).reason,
    ).toBe('MALFORMED');
    expect(
      (await refusalOf(verifyAcknowledgement(byB, { ...ctx, peerId: 'brand-c' }))).reason,
    ).toBe('UNKNOWN_SENDER');
    const byStranger = await signAcknowledgement(jti, { ...input, signingKey: w.stranger.signing });
    expect((await refusalOf(verifyAcknowledgement(byStranger, ctx))).reason).toBe('UNKNOWN_KEY');
  });
});

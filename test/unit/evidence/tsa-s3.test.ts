import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import {
  acceptTimeStampResp,
  encodeTimeStampReq,
  parseTimeStampResp,
} from '../../../src/evidence/tsa.js';
import { S3BlobStore } from '../../../src/evidence/s3-blob-store.js';
import { BlobNotFoundError } from '../../../src/evidence/blob-store.js';

const openssl = (args: string[], cwd: string) =>
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

describe('RFC 3161 timestamps against a local openssl TSA', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-tsa-'));
  const digest = createHash('sha256').update('a signed capture statement').digest();
  const nonce = Buffer.from('0123456789abcdef', 'hex');

  it('encodes a TimeStampReq that openssl reads as sha256 + our digest + nonce', () => {
    writeFileSync(join(dir, 'req.tsq'), encodeTimeStampReq(digest, nonce));
    const text = openssl(['ts', '-query', '-in', 'req.tsq', '-text'], dir).toString();
    expect(text).toMatch(/Hash Algorithm: sha256/);
    expect(text.replace(/[\s-]/g, '').toLowerCase()).toContain(digest.toString('hex').slice(0, 16));
    expect(text).toMatch(/Nonce: 0x0123456789ABCDEF/i);
    expect(text).toMatch(/Certificate required: yes/);
  });

  it('parses and accepts the TimeStampResp a self-signed TSA answers', () => {
    writeFileSync(join(dir, 'req.tsq'), encodeTimeStampReq(digest, nonce));
    openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'tsa.key',
        '-out',
        'tsa.crt',
        '-subj',
        '/CN=Test TSA',
        '-days',
        '1',
        '-addext',
        'extendedKeyUsage=critical,timeStamping',
      ],
      dir,
    );
    writeFileSync(join(dir, 'serial'), '01\n');
    writeFileSync(
      join(dir, 'ts.cnf'),
      [
        '[tsa]',
        'default_tsa = t',
        '[t]',
        `serial = ${join(dir, 'serial')}`,
        `signer_cert = ${join(dir, 'tsa.crt')}`,
        `signer_key = ${join(dir, 'tsa.key')}`,
        'signer_digest = sha256',
        'default_policy = 1.2.3.4.1',
        'digests = sha256',
        'ess_cert_id_alg = sha256',
      ].join('\n'),
    );
    openssl(
      ['ts', '-reply', '-config', 'ts.cnf', '-queryfile', 'req.tsq', '-out', 'resp.tsr'],
      dir,
    );
    const der = new Uint8Array(readFileSync(join(dir, 'resp.tsr')));
    const parsed = parseTimeStampResp(der);
    expect(parsed.status).toBe(0);
    expect(Buffer.from(parsed.hashedMessage!).equals(digest)).toBe(true);
    expect(parsed.genTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
    const accepted = acceptTimeStampResp(der, digest, nonce);
    expect(accepted.ok).toBe(true);
    // The stored token is a CMS ContentInfo openssl can verify against the request.
    if (accepted.ok) writeFileSync(join(dir, 'token.der'), accepted.token);
    openssl(
      [
        'ts',
        '-verify',
        '-queryfile',
        'req.tsq',
        '-in',
        'token.der',
        '-token_in',
        '-CAfile',
        'tsa.crt',
      ],
      dir,
    );
    expect(acceptTimeStampResp(der, randomBytes(32), nonce)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/another digest/),
    });
    expect(acceptTimeStampResp(der, digest, Buffer.from('0000000000000001', 'hex'))).toMatchObject({
      ok: false,
    });
    expect(acceptTimeStampResp(new Uint8Array([0x30, 0x03, 0x30, 0x01]), digest, nonce).ok).toBe(
      false,
    );
  });
});

describe('the S3 blob store (SDK send() stubbed: no S3 is reachable here)', () => {
  const sha = 'ab'.repeat(32);
  const opts = { bucket: 'evidence', region: 'us-east-1', forcePathStyle: true };

  it('puts a new blob under sha256/ab/cd/<hash> with the checksum, and skips one it has', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-s3-'));
    const sent: unknown[] = [];
    let exists = false;
    const client = {
      send: async (cmd: unknown) => {
        await Promise.resolve();
        sent.push(cmd);
        if (cmd instanceof HeadObjectCommand && !exists) {
          throw new S3ServiceException({
            name: 'NotFound',
            $fault: 'client',
            $metadata: { httpStatusCode: 404 },
          });
        }
        return {};
      },
    };
    const store = new S3BlobStore(client as never, opts);
    writeFileSync(join(dir, 'a.part'), 'x');
    expect(await store.put(join(dir, 'a.part'), sha, 1)).toEqual({
      created: true,
      uri: `s3://evidence/sha256/ab/ab/${sha}`,
    });
    const put = sent.find((c) => c instanceof PutObjectCommand) as PutObjectCommand;
    expect(put.input).toMatchObject({
      Bucket: 'evidence',
      Key: `sha256/ab/ab/${sha}`,
      ContentLength: 1,
      ChecksumSHA256: Buffer.from(sha, 'hex').toString('base64'),
    });
    exists = true;
    writeFileSync(join(dir, 'b.part'), 'x');
    expect((await store.put(join(dir, 'b.part'), sha, 1)).created).toBe(false);
  });

  it('reads a blob back and answers BlobNotFoundError for a missing one', async () => {
    const client = {
      send: async (cmd: unknown) => {
        await Promise.resolve();
        if (cmd instanceof GetObjectCommand && cmd.input.Key?.endsWith(sha))
          return { Body: Readable.from([Buffer.from('bytes')]) };
        throw new S3ServiceException({
          name: 'NoSuchKey',
          $fault: 'client',
          $metadata: { httpStatusCode: 404 },
        });
      },
    };
    const store = new S3BlobStore(client as never, opts);
    const chunks: Buffer[] = [];
    for await (const c of await store.open(sha)) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('bytes');
    await expect(store.open('cd'.repeat(32))).rejects.toBeInstanceOf(BlobNotFoundError);
  });
});

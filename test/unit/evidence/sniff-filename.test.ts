import { describe, expect, it } from 'vitest';
import { checkFilename } from '../../../src/evidence/filename.js';
import { sniffMediaType } from '../../../src/evidence/sniff.js';
import { parseCaptureMetadata } from '../../../src/evidence/capture-metadata.js';

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(
    Buffer.concat(
      parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))),
    ),
  );

describe('media type sniffing', () => {
  it.each([
    ['image/png', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'rest')],
    ['image/jpeg', bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF')],
    ['image/gif', bytes('GIF89a....')],
    ['image/webp', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 ')],
    ['application/pdf', bytes('%PDF-1.7\n')],
    ['application/zip', bytes([0x50, 0x4b, 0x03, 0x04], 'xx')],
    ['video/mp4', bytes([0, 0, 0, 0x20], 'ftypisom', [0, 0, 2, 0])],
    ['text/html', bytes('\uFEFF  <!DOCTYPE html><html><body>x</body></html>')],
    [
      'multipart/related',
      bytes(
        'From: <Saved by Blink>\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype="text/html"\r\n',
      ),
    ],
    ['text/plain', bytes('order 123, seller abc\n')],
    ['application/octet-stream', bytes([0, 1, 2, 3, 0xfe, 0xff])],
  ])('recognizes %s from the first bytes', (type, head) => {
    expect(sniffMediaType(head, true)).toBe(type);
  });

  it('ignores what a client claims: a PNG body named .pdf is still a PNG', () => {
    expect(sniffMediaType(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
      'image/png',
    );
  });

  it('accepts text cut inside a multi-byte character at the end of the sniff window', () => {
    const text = Buffer.from('价格 ¥199 '.repeat(10));
    expect(sniffMediaType(new Uint8Array(text.subarray(0, text.length - 1)), false)).toBe(
      'text/plain',
    );
  });
});

describe('file names', () => {
  it.each([
    '../etc/passwd',
    'a/b.png',
    'a\\b.png',
    '..',
    'x..y.png',
    'nul\u0000.png',
    'bell\u0007.png',
    'line\n.png',
    '',
    ' . ',
  ])('refuses %j', (name) => {
    expect(checkFilename(name).ok).toBe(false);
  });

  it.each(['screenshot 2026-11-29.png', '商品页面.mhtml', 'invoice_#12 (final).pdf'])(
    'accepts %j',
    (name) => {
      expect(checkFilename(name)).toEqual({ ok: true, name });
    },
  );

  it('explains the refusal', () => {
    expect(checkFilename('../x.png')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/path separator/),
    });
  });
});

describe('capture metadata', () => {
  it('parses the fields an upload carries', () => {
    const v = parseCaptureMetadata({
      for: 'abc',
      tlp: 'amber+strict',
      sourceUrl: 'https://item.jd.com/1.html',
    });
    expect(v).toEqual({
      ok: true,
      value: { forId: 'abc', tlp: 'AMBER+STRICT', sourceUrl: 'https://item.jd.com/1.html' },
    });
  });

  it('refuses unknown fields, a missing target, bad URLs and future capture times', () => {
    expect(parseCaptureMetadata({ for: 'a', path: '/x' })).toMatchObject({
      ok: false,
      field: 'path',
    });
    expect(parseCaptureMetadata({})).toMatchObject({ ok: false, field: 'for' });
    expect(parseCaptureMetadata({ for: 'a', sourceUrl: 'javascript:alert(1)' })).toMatchObject({
      ok: false,
      field: 'sourceUrl',
    });
    expect(parseCaptureMetadata({ for: 'a', capturedAt: '2999-01-01T00:00:00Z' })).toMatchObject({
      ok: false,
      field: 'capturedAt',
    });
    expect(parseCaptureMetadata({ for: 'a', tlp: 'PURPLE' })).toMatchObject({
      ok: false,
      field: 'tlp',
    });
  });
});

// Media-type sniffing from a file's first bytes. The client's Content-Type is recorded beside it,
// never trusted: a court asks what the file is, not what the uploader said it was. Pure.

export const SNIFF_BYTES = 4096;

export type SniffedType =
  | 'image/png'
  | 'image/jpeg'
  | 'image/gif'
  | 'image/webp'
  | 'application/pdf'
  | 'text/html'
  | 'multipart/related'
  | 'text/plain'
  | 'application/zip'
  | 'video/mp4'
  | 'application/octet-stream';

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0): boolean =>
  b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Text as a browser would guess it: valid UTF-8 (a cut final character allowed), no control bytes. */
function asText(head: Uint8Array, complete: boolean): string | null {
  let bytes = head;
  if (!complete) {
    // The sniff window may end inside a multi-byte character: drop a trailing partial sequence.
    let cut = bytes.length;
    for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 3); i--) {
      const b = bytes[i]!;
      if ((b & 0xc0) === 0x80) continue;
      if (b >= 0xc0) cut = i;
      break;
    }
    bytes = bytes.subarray(0, cut);
  }
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex -- exactly the control characters plain text never holds
  return /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text) ? null : text;
}

/**
 * The media type of a file from its first bytes (up to SNIFF_BYTES). `complete` says the bytes
 * are the whole file, so a text file may end anywhere.
 */
export function sniffMediaType(head: Uint8Array, complete = false): SniffedType {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(head, ascii('%PDF-'))) return 'application/pdf';
  if (
    startsWith(head, [0x50, 0x4b, 0x03, 0x04]) ||
    startsWith(head, [0x50, 0x4b, 0x05, 0x06]) ||
    startsWith(head, [0x50, 0x4b, 0x07, 0x08])
  ) {
    return 'application/zip';
  }
  // ISO base media: a box size, then 'ftyp' and an mp4-family brand.
  if (startsWith(head, ascii('ftyp'), 4)) {
    const brand = String.fromCharCode(...head.subarray(8, 12));
    if (/^(isom|iso[2-9]|mp4[12v]|avc1|M4V |M4A |dash|mmp4|f4v )$/.test(brand)) return 'video/mp4';
  }
  const text = asText(head, complete);
  if (text === null) return 'application/octet-stream';
  const start = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .slice(0, 1024)
    .toLowerCase();
  // MHTML (a saved web page): RFC 822 headers announcing a multipart/related body.
  if (
    /^(from|mime-version|subject|date|snapshot-content-location|content-type)\s*:/.test(start) &&
    /content-type:\s*multipart\/related/.test(text.slice(0, SNIFF_BYTES).toLowerCase())
  ) {
    return 'multipart/related';
  }
  if (
    /^(<!doctype html|<html|<head|<body|<!--|<meta|<title|<script|<iframe|<table|<div)[\s>]/.test(
      start,
    )
  ) {
    return 'text/html';
  }
  return 'text/plain';
}

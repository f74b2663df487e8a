// The client's file name is metadata only — it never becomes a path — but a name holding a path
// or control characters is refused outright so that no later export can be tricked by it. Pure.

export const MAX_FILENAME_LENGTH = 255;

export type FilenameVerdict = { ok: true; name: string } | { ok: false; reason: string };

/** Checks a client-supplied file name (NFC-normalized when accepted). */
export function checkFilename(raw: string): FilenameVerdict {
  const name = raw.normalize('NFC');
  if (name.length === 0) return { ok: false, reason: 'the file name is empty' };
  if (name.length > MAX_FILENAME_LENGTH) {
    return { ok: false, reason: `the file name is longer than ${MAX_FILENAME_LENGTH} characters` };
  }
  if (name.includes('/') || name.includes('\\')) {
    return { ok: false, reason: 'the file name contains a path separator (/ or \\)' };
  }
  if (name.includes('..')) return { ok: false, reason: 'the file name contains ".."' };
  // eslint-disable-next-line no-control-regex -- NUL and every C0/C1 control character
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) {
    return { ok: false, reason: 'the file name contains NUL or control characters' };
  }
  if (/^[\s.]+$/.test(name)) return { ok: false, reason: 'the file name is only dots or spaces' };
  return { ok: true, name };
}

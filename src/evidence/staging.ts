// Streams an incoming file to a staging file while hashing (SHA-256), counting and keeping its
// first bytes for sniffing; stops — and deletes what it wrote — the moment the size limit is
// passed, so nothing larger than the limit is ever held, in memory or on disk.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SNIFF_BYTES } from './sniff.js';

export class FileTooLargeError extends Error {
  override name = 'FileTooLargeError';
  constructor(readonly limit: number) {
    super(`The file is larger than the limit of ${limit} bytes (PALISADE_EVIDENCE_MAX_BYTES)`);
  }
}

export interface StagedFile {
  path: string;
  sha256: string;
  size: number;
  /** The first SNIFF_BYTES bytes (fewer for a smaller file). */
  head: Uint8Array;
  /** Deletes the staging file (after a refusal, or when the store already held the blob). */
  discard(): Promise<void>;
}

/** Writes `source` to a new file in `dir`, fsynced; throws FileTooLargeError past `maxBytes`. */
export async function stageFile(
  source: AsyncIterable<Uint8Array | string>,
  dir: string,
  maxBytes: number,
): Promise<StagedFile> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${randomUUID()}.part`);
  const discard = () => rm(path, { force: true });
  const hash = createHash('sha256');
  const headChunks: Buffer[] = [];
  let headSize = 0;
  let size = 0;
  const handle = await open(path, 'wx', 0o600);
  try {
    for await (const chunk of source) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
      size += buf.length;
      if (size > maxBytes) throw new FileTooLargeError(maxBytes);
      hash.update(buf);
      if (headSize < SNIFF_BYTES) {
        const part = buf.subarray(0, SNIFF_BYTES - headSize);
        headChunks.push(part);
        headSize += part.length;
      }
      await handle.write(buf);
    }
    // Durable before the caller renames it into the store and records it in the graph.
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => undefined);
    await discard();
    throw e;
  }
  await handle.close();
  return {
    path,
    sha256: hash.digest('hex'),
    size,
    head: new Uint8Array(Buffer.concat(headChunks)),
    discard,
  };
}

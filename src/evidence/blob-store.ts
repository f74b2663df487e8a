// The content-addressed blob store interface, and its default: a directory laid out as
// sha256/ab/cd/<hash>. A blob is written once (staged, fsynced, renamed atomically into place) and
// never changed; the same bytes uploaded twice are stored once.
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';

export const SHA256_HEX = /^[0-9a-f]{64}$/;

export class BlobNotFoundError extends Error {
  override name = 'BlobNotFoundError';
  constructor(readonly sha256: string) {
    super(`No stored file has SHA-256 ${sha256}`);
  }
}

export interface BlobStore {
  readonly kind: 'directory' | 's3';
  /**
   * Takes a staged file (fully written and fsynced) into the store under its hash. `created` is
   * false when the store already held those bytes (the staged file is then deleted).
   */
  put(stagedPath: string, sha256: string, size: number): Promise<{ created: boolean; uri: string }>;
  /** The stored bytes; BlobNotFoundError when absent. */
  open(sha256: string): Promise<Readable>;
  exists(sha256: string): Promise<boolean>;
  /** Removes a blob this process just created, when recording it in the graph failed. */
  remove(sha256: string): Promise<void>;
}

/** `sha256/ab/cd/<hash>`: two fan-out levels keep directories small. */
export function blobKey(sha256: string): string {
  if (!SHA256_HEX.test(sha256)) throw new TypeError('not a lowercase hex SHA-256');
  return `sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class DirectoryBlobStore implements BlobStore {
  readonly kind = 'directory' as const;

  constructor(private readonly root: string) {}

  /** Where staged files go: inside the store's root, so the final rename never crosses a filesystem. */
  get stagingDir(): string {
    return join(this.root, 'tmp');
  }

  pathOf(sha256: string): string {
    return join(this.root, blobKey(sha256));
  }

  async put(stagedPath: string, sha256: string): Promise<{ created: boolean; uri: string }> {
    const target = this.pathOf(sha256);
    const uri = `file:${blobKey(sha256)}`;
    if (await this.exists(sha256)) {
      await rm(stagedPath, { force: true });
      return { created: false, uri };
    }
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    // The temp file is renamed into place: readers see the whole blob or none of it. Two uploads of
    // the same bytes racing here both rename identical content, which is harmless.
    await rename(stagedPath, target);
    await fsyncDir(dirname(target));
    return { created: true, uri };
  }

  async open(sha256: string): Promise<Readable> {
    if (!(await this.exists(sha256))) throw new BlobNotFoundError(sha256);
    return createReadStream(this.pathOf(sha256));
  }

  async exists(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch {
      return false;
    }
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }
}

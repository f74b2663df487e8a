// The node's own keys as the running node sees them: read from the 0600 key file, re-read when
// `palisade keys rotate` replaces it, so a rotation needs no restart.
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  createKeyFile,
  decryptionKeys,
  KeyFileError,
  publicJwks,
  readKeyFile,
  writeKeyFile,
  type Jwks,
  type KeyFile,
} from './keys.js';
import type { EncryptionPrivateJwk, SigningPrivateJwk } from './jwk-import.js';

/** The key file is missing and may not be created here: the admin must run `palisade init`. */
export class MissingKeysError extends Error {
  constructor(path: string) {
    super(
      `The node key file ${path} does not exist: run \`palisade init\` to create the node's keys ` +
        '(or set PALISADE_KEY_FILE to where they are)',
    );
    this.name = 'MissingKeysError';
  }
}

export interface KeyRingOptions {
  path: string;
  /** Create the file when missing (development and test only). */
  create: boolean;
  /** How often the file's mtime is checked for a rotation. @default 2000 */
  checkEveryMs?: number;
}

export class KeyRing {
  #file: KeyFile;
  #mtimeMs: number;
  #checkedAt = Date.now();

  private constructor(
    private readonly options: KeyRingOptions,
    file: KeyFile,
    mtimeMs: number,
  ) {
    this.#file = file;
    this.#mtimeMs = mtimeMs;
  }

  /** Reads (or, when allowed, first creates) the key file. */
  static async open(options: KeyRingOptions): Promise<KeyRing> {
    let file: KeyFile;
    try {
      file = await readKeyFile(options.path);
    } catch (e) {
      if (!(e instanceof KeyFileError) || e.problem !== 'NOT_FOUND') throw e;
      if (!options.create) throw new MissingKeysError(options.path);
      await mkdir(dirname(options.path), { recursive: true, mode: 0o700 });
      try {
        await writeKeyFile(options.path, await createKeyFile());
      } catch (w) {
        // Another process created it first: use theirs.
        if (!(w instanceof KeyFileError) || w.problem !== 'EXISTS') throw w;
      }
      file = await readKeyFile(options.path);
    }
    return new KeyRing(options, file, (await stat(options.path)).mtimeMs);
  }

  /** The key file, re-read when it changed on disk since the last check. */
  async current(): Promise<KeyFile> {
    const now = Date.now();
    if (now - this.#checkedAt >= (this.options.checkEveryMs ?? 2000)) {
      this.#checkedAt = now;
      try {
        const { mtimeMs } = await stat(this.options.path);
        if (mtimeMs !== this.#mtimeMs) {
          this.#file = await readKeyFile(this.options.path);
          this.#mtimeMs = mtimeMs;
        }
      } catch {
        // Keep the keys in memory: a half-written or vanished file must not stop the node.
      }
    }
    return this.#file;
  }

  async signingKey(): Promise<SigningPrivateJwk> {
    return (await this.current()).current.signing;
  }

  async decryptionKeys(): Promise<EncryptionPrivateJwk[]> {
    return decryptionKeys(await this.current());
  }

  async jwks(): Promise<Jwks> {
    return publicJwks(await this.current());
  }
}

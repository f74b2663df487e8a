// The association's OPRF keys: one secret in a 0600 file (`<dataDir>/keys/oprf-secret`), and from
// it one RFC 9497 key pair per period, DeriveKeyPair(secret, info = key id). The key id is the
// period ("2026-11", "2026-Q4", "2026") — plus "-r<n>" after the n-th emergency rotation — so a
// token says which key made it, and next period's tokens are unrelated to this period's without
// anyone distributing a key. Only the association process reads this file.
import { randomFillSync } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { deriveKeyPair, SEED_BYTES, type OprfKeyPair } from './oprf.js';
import { getSodium } from './sodium.js';

export type OprfPeriod = 'month' | 'quarter' | 'year';

const FORMAT = 'palisade-oprf-secret/v1';
const fileSchema = z.object({
  format: z.literal(FORMAT),
  generation: z.number().int().min(1),
  createdAt: z.string(),
  secret: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});
type SecretFile = z.infer<typeof fileSchema>;

/** The secret file is missing where it may not be created, unreadable, or readable by others. */
export class OprfSecretError extends Error {
  override readonly name = 'OprfSecretError';
}

/** The period an instant falls in, as a key id: 2026-11, 2026-Q4 or 2026 (UTC). */
export function periodId(at: Date, period: OprfPeriod): string {
  const y = at.getUTCFullYear();
  if (period === 'year') return String(y);
  if (period === 'quarter') return `${y}-Q${Math.floor(at.getUTCMonth() / 3) + 1}`;
  return `${y}-${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The key id for a period and a secret generation: generation 1 is the bare period. */
export function keyIdFor(period: string, generation: number): string {
  return generation <= 1 ? period : `${period}-r${generation}`;
}

function freshFile(generation: number): SecretFile {
  const secret = Buffer.alloc(SEED_BYTES);
  randomFillSync(secret);
  const encoded = secret.toString('base64url');
  secret.fill(0);
  return { format: FORMAT, generation, createdAt: new Date().toISOString(), secret: encoded };
}

async function writeSecret(path: string, file: SecretFile, overwrite: boolean): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  // Written whole to a temporary file and renamed, so a reader never sees half a secret.
  const tmp = overwrite ? `${path}.${process.pid}.tmp` : path;
  const handle = await open(tmp, overwrite ? 'w' : 'wx', 0o600);
  try {
    await handle.writeFile(JSON.stringify(file));
  } finally {
    await handle.close();
  }
  await chmod(tmp, 0o600);
  if (overwrite) await rename(tmp, path);
}

async function readSecret(path: string): Promise<SecretFile> {
  const info = await stat(path);
  if ((info.mode & 0o077) !== 0) {
    throw new OprfSecretError(`${path} must be readable by its owner only (chmod 600)`);
  }
  const parsed = fileSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new OprfSecretError(`${path} is not a Palisade OPRF secret file`);
  return parsed.data;
}

/** Creates the secret file unless it exists; true when it was created. */
export async function ensureOprfSecret(path: string): Promise<boolean> {
  try {
    await writeSecret(path, freshFile(1), false);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/**
 * Replaces the secret with a fresh one of the next generation (a suspected leak): every key id
 * changes at once, and members re-tokenize (`palisade privacy retokenize`). Returns the new
 * generation.
 */
export async function rotateOprfSecret(path: string): Promise<number> {
  const current = await readSecret(path);
  const next = freshFile(current.generation + 1);
  await writeSecret(path, next, true);
  return next.generation;
}

export interface OprfKeySourceOptions {
  path: string;
  period: OprfPeriod;
  /** Create the file on first use when missing. */
  create: boolean;
  now?: () => Date;
  /** How often the file's mtime is checked for a rotation. @default 2000 */
  checkEveryMs?: number;
}

/** The current key (and its id) for evaluation; re-reads the file after `privacy rotate`. */
export class OprfKeySource {
  #file: SecretFile | undefined;
  #mtimeMs = 0;
  #checkedAt = 0;
  readonly #pairs = new Map<string, OprfKeyPair>();

  constructor(private readonly o: OprfKeySourceOptions) {}

  async #load(): Promise<SecretFile> {
    const now = Date.now();
    if (this.#file && now - this.#checkedAt < (this.o.checkEveryMs ?? 2000)) return this.#file;
    this.#checkedAt = now;
    let info;
    try {
      info = await stat(this.o.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      if (!this.o.create) {
        throw new OprfSecretError(
          `The OPRF secret ${this.o.path} does not exist: run \`palisade init\` on the association`,
        );
      }
      await ensureOprfSecret(this.o.path);
      info = await stat(this.o.path);
    }
    if (!this.#file || info.mtimeMs !== this.#mtimeMs) {
      const file = await readSecret(this.o.path);
      if (this.#file && this.#file.secret !== file.secret) await this.#wipe();
      this.#file = file;
      this.#mtimeMs = info.mtimeMs;
    }
    return this.#file;
  }

  async #wipe(): Promise<void> {
    const s = await getSodium();
    for (const pair of this.#pairs.values()) s.memzero(pair.secretKey);
    this.#pairs.clear();
  }

  /** The key id evaluations use now. */
  async currentKeyId(): Promise<string> {
    const file = await this.#load();
    return keyIdFor(periodId((this.o.now ?? (() => new Date()))(), this.o.period), file.generation);
  }

  /** The current key id and its key pair (derived once, kept in memory). */
  async current(): Promise<{ keyId: string; pair: OprfKeyPair }> {
    const keyId = await this.currentKeyId();
    let pair = this.#pairs.get(keyId);
    if (!pair) {
      const file = await this.#load();
      const seed = new Uint8Array(Buffer.from(file.secret, 'base64url'));
      pair = await deriveKeyPair(seed, keyId);
      seed.fill(0);
      // Old periods are never evaluated again: keep only the current pair.
      await this.#wipe();
      this.#pairs.set(keyId, pair);
    }
    return { keyId, pair };
  }

  async dispose(): Promise<void> {
    await this.#wipe();
  }
}

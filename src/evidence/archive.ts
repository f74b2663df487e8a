// Tar (ustar) in and out, streamed: a dossier can hold gigabytes of evidence, so entries are piped
// from the blob store into the archive and hashed as they are read back, never held whole.
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import tar from 'tar-stream';

export interface ArchiveEntry {
  path: string;
  size: number;
  /** Small entries are given as bytes; files are streamed from their source. */
  content: Uint8Array | (() => Promise<Readable>);
}

/** Writes the entries, in order, as a tar stream into `out`. */
export async function writeArchive(
  out: Writable,
  entries: AsyncIterable<ArchiveEntry> | Iterable<ArchiveEntry>,
): Promise<void> {
  const pack = tar.pack();
  const done = pipeline(pack, out);
  const mtime = new Date(0); // fixed: the archive's bytes depend on its content only
  for await (const entry of entries) {
    const header = {
      name: entry.path,
      size: entry.size,
      mtime,
      mode: 0o644,
      type: 'file' as const,
    };
    if (entry.content instanceof Uint8Array) {
      await new Promise<void>((resolve, reject) =>
        pack.entry(header, Buffer.from(entry.content as Uint8Array), (e) =>
          e ? reject(e) : resolve(),
        ),
      );
    } else {
      const sink = pack.entry(header);
      await pipeline(await entry.content(), sink);
    }
  }
  pack.finalize();
  await done;
}

export interface ReadEntry {
  path: string;
  type: string;
  size: number;
  sha256: string;
  /** The bytes, kept only for entries `keep` selected (small JSON documents). */
  bytes?: Buffer;
}

/** Reads a tar stream: every entry hashed; the bytes of entries `keep(path)` accepts are kept. */
export async function readArchive(
  input: Readable,
  keep: (path: string) => boolean,
  maxKeptBytes = 64 * 1024 * 1024,
): Promise<ReadEntry[]> {
  const extract = tar.extract();
  const out: ReadEntry[] = [];
  const finished = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let size = 0;
      const kept = keep(header.name);
      stream.on('data', (data: unknown) => {
        const chunk = data as Buffer;
        size += chunk.length;
        hash.update(chunk);
        if (kept && size <= maxKeptBytes) chunks.push(chunk);
      });
      stream.on('end', () => {
        out.push({
          path: header.name,
          type: header.type ?? 'file',
          size,
          sha256: hash.digest('hex'),
          ...(kept && size <= maxKeptBytes && { bytes: Buffer.concat(chunks) }),
        });
        next();
      });
      stream.on('error', reject);
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  await Promise.all([pipeline(input, extract), finished]);
  return out;
}

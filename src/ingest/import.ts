// `palisade import`: streams a CSV or JSONL file through the mapping into the ingestor, batch
// by batch (the reader pauses while two batches are in hand, so a 1M-row file is never held in
// memory), reports progress, and writes every refused row (and rows stored with unnormalizable
// identifiers) to a rejects file with its line number and reasons.
import { createReadStream, createWriteStream, statSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { emptySummary, type IncomingRecord, type IngestSummary, type Ingestor } from './ingest.js';
import { applyMapping, type Mapping } from './mapping.js';

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  records: number;
  rejected: number;
}

export interface ImportOptions {
  file: string;
  mapping: Mapping;
  format?: 'csv' | 'jsonl';
  /** Where refused rows go (JSONL); created only when there is something to write. */
  rejectsFile: string;
  /** Defaults for rows and mapping that give none. */
  source?: string;
  region?: string;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportSummary extends IngestSummary {
  file: string;
  format: 'csv' | 'jsonl';
  rejectsFile: string | null;
  seconds: number;
  recordsPerSecond: number;
}

/** One line of the rejects file. */
export interface RejectLine {
  line: number;
  status: 'rejected' | 'stored-with-warnings';
  reasons: string[];
  row: unknown;
}

export function detectFormat(file: string, mapping: Mapping): 'csv' | 'jsonl' {
  if (mapping.format) return mapping.format;
  return /\.(jsonl|ndjson|json)$/i.test(file) ? 'jsonl' : 'csv';
}

class RejectsWriter {
  private stream: WriteStream | undefined;
  constructor(readonly path: string) {}

  get used(): boolean {
    return this.stream !== undefined;
  }

  async write(line: RejectLine): Promise<void> {
    this.stream ??= createWriteStream(this.path, { flags: 'w' });
    if (!this.stream.write(`${JSON.stringify(line)}\n`)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (!this.stream) return;
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

type SourceRow = { line: number; row: unknown } | { line: number; raw: string; error: string };

async function* csvRows(
  mapping: Mapping,
  input: NodeJS.ReadableStream,
  onSkip: (e: { line: number; raw: string; error: string }) => void,
): AsyncGenerator<SourceRow> {
  const parser = parse({
    columns: true,
    bom: true,
    skip_empty_lines: true,
    delimiter: mapping.csv?.delimiter ?? ',',
    quote: mapping.csv?.quote ?? '"',
    info: true,
    skip_records_with_error: true,
    relax_column_count: false,
  });
  parser.on('skip', (err: Error & { lines?: number; record?: unknown; raw?: string }) => {
    onSkip({ line: err.lines ?? 0, raw: err.raw ?? '', error: err.message });
  });
  input.pipe(parser);
  for await (const item of parser as AsyncIterable<{ record: unknown; info: { lines: number } }>) {
    yield { line: item.info.lines, row: item.record };
  }
}

async function* jsonlRows(input: NodeJS.ReadableStream): AsyncGenerator<SourceRow> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    try {
      const row: unknown = JSON.parse(text);
      if (typeof row !== 'object' || row === null || Array.isArray(row)) {
        yield { line, raw: text, error: 'the line is not a JSON object' };
      } else {
        yield { line, row };
      }
    } catch {
      yield { line, raw: text, error: 'the line is not valid JSON' };
    }
  }
}

/** Imports one file; resolves with the summary once every batch is written. */
export async function importFile(
  ingestor: Ingestor,
  options: ImportOptions,
): Promise<ImportSummary> {
  const started = Date.now();
  const format = options.format ?? detectFormat(options.file, options.mapping);
  const totalBytes = statSync(options.file).size;
  // Re-importing a file must change nothing, so a missing observation time is the file's own.
  const observedAt = statSync(options.file).mtime.toISOString();
  const rejects = new RejectsWriter(options.rejectsFile);
  const input = createReadStream(options.file);
  const pendingRows = new Map<number, unknown>();
  const early: RejectLine[] = [];
  const summary = emptySummary();
  const progress = () =>
    options.onProgress?.({
      bytesRead: input.bytesRead,
      totalBytes,
      records: summary.records,
      rejected: summary.rejected,
    });

  const source: AsyncIterable<SourceRow> =
    format === 'csv'
      ? csvRows(options.mapping, input, (e) =>
          early.push({ line: e.line, status: 'rejected', reasons: [e.error], row: e.raw }),
        )
      : jsonlRows(input);

  // Rows that fail before validation (bad JSON, no record kind) are reported directly.
  /** A row refused before it reached the ingestor: counted, and listed in the rejects file. */
  const reject = async (line: RejectLine): Promise<void> => {
    summary.records += 1;
    summary.rejected += 1;
    await rejects.write(line);
  };

  async function* records(): AsyncGenerator<IncomingRecord> {
    for await (const item of source) {
      while (early.length > 0) await reject(early.shift()!);
      if ('error' in item) {
        await reject({ line: item.line, status: 'rejected', reasons: [item.error], row: item.raw });
        continue;
      }
      const mapped = applyMapping(options.mapping, item.row as Record<string, unknown>, {
        ...(options.source !== undefined && { source: options.source }),
        ...(options.region !== undefined && { region: options.region }),
        observedAt,
      });
      if ('error' in mapped) {
        await reject({
          line: item.line,
          status: 'rejected',
          reasons: [mapped.error],
          row: item.row,
        });
        continue;
      }
      pendingRows.set(item.line, item.row);
      yield { index: item.line, kind: mapped.kind, value: mapped.value };
    }
  }

  const timer = options.onProgress ? setInterval(progress, 200) : undefined;
  try {
    const written = await ingestor.ingestStream(records(), async (result) => {
      const row = pendingRows.get(result.index);
      pendingRows.delete(result.index);
      if (!result.ok) {
        await rejects.write({
          line: result.index,
          status: 'rejected',
          reasons: result.errors.map((e) => e.message),
          row,
        });
      } else if (result.warnings.length > 0) {
        await rejects.write({
          line: result.index,
          status: 'stored-with-warnings',
          reasons: result.warnings.map((w) => `${w.path}: ${w.reason}`),
          row,
        });
      }
    });
    for (const line of early.splice(0)) {
      summary.records += 1;
      summary.rejected += 1;
      await rejects.write(line);
    }
    mergeSummary(summary, written);
  } finally {
    clearInterval(timer);
    await rejects.close();
  }
  progress();
  const seconds = (Date.now() - started) / 1000;
  return {
    ...summary,
    file: options.file,
    format,
    rejectsFile: rejects.used ? rejects.path : null,
    seconds,
    recordsPerSecond: Math.round(summary.records / Math.max(seconds, 0.001)),
  };
}

function mergeSummary(into: IngestSummary, from: IngestSummary): void {
  into.records += from.records;
  into.accepted += from.accepted;
  into.rejected += from.rejected;
  into.unnormalizedIdentifiers += from.unnormalizedIdentifiers;
  into.nodesCreated += from.nodesCreated;
  into.nodesMerged += from.nodesMerged;
  into.relationshipsCreated += from.relationshipsCreated;
  into.relationshipsMerged += from.relationshipsMerged;
  into.batches += from.batches;
}

// Evidence capture and custody operations: a staged file becomes a stored blob, a signed capture
// statement (and optionally an RFC 3161 timestamp) and an Evidence node linked to what it proves,
// with a CAPTURE custody entry in the same transaction. Expected refusals are returned as data.
import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import type { StatementSigner } from '../federation/signed-statements.js';
import type { JsonValue } from '../federation/canonical-json.js';
import { toGraphObject } from '../graph/model.js';
import type { Logger } from '../server/logger.js';
import { fromGlobalId } from '../server/relay.js';
import type { BlobStore } from './blob-store.js';
import { defaultKind, type CaptureMetadata } from './capture-metadata.js';
import type { CustodyAction } from './custody-chain.js';
import { CustodyStore } from './custody-store.js';
import { sniffMediaType, SNIFF_BYTES } from './sniff.js';
import type { StagedFile } from './staging.js';
import { readCaptureStatement, signCaptureStatement, type CaptureStatement } from './statement.js';
import type { TimestampClient } from './tsa.js';
import type { Tlp } from './tlp.js';

export type EvidenceRecord = Record<string, unknown> & { uid: string; key: string };

export type CaptureRefusal = 'UNKNOWN_TARGET' | 'BAD_TARGET' | 'CONFLICT';

export type CaptureResult =
  | { ok: true; evidence: EvidenceRecord; created: boolean; blobCreated: boolean }
  | { ok: false; code: CaptureRefusal; message: string };

export interface CaptureInput extends CaptureMetadata {
  filename: string;
  declaredMediaType: string | null;
  /** The principal's subject (or `cli:<user>`). */
  actor: string;
  /** The ingest-style source recorded on the node and link. @default 'evidence-upload' */
  source?: string;
}

export interface EvidenceServiceDeps {
  db: Database;
  store: BlobStore;
  signer: StatementSigner;
  nodeId: string;
  defaultTlp: Tlp;
  logger: Logger;
  tsa?: TimestampClient;
}

const LockRow = z.object({
  created: z.boolean(),
  sha256: z.string().nullable(),
  statementJws: z.string().nullable(),
});
const PropsRow = z.object({ props: z.record(z.string(), z.unknown()) });

/** The uid behind a Relay id of a record node ("Seller:jd:123"). */
export function uidOfGlobalId(id: string): string {
  const { type, key } = fromGlobalId(id);
  return `${type}:${key}`;
}

export class EvidenceService {
  readonly custody: CustodyStore;

  constructor(private readonly deps: EvidenceServiceDeps) {
    this.custody = new CustodyStore(deps.db);
  }

  get store(): BlobStore {
    return this.deps.store;
  }

  /** Stores a staged file as evidence. The staged file is consumed (moved or deleted) either way. */
  async capture(input: CaptureInput, file: StagedFile): Promise<CaptureResult> {
    const { db, store } = this.deps;
    const target = await this.target(input.forId);
    if (!target.ok) {
      await file.discard();
      return target;
    }
    const key = input.evidenceId ?? `sha256-${file.sha256}`;
    const uid = `Evidence:${key}`;
    const existing = await this.get(uid);
    if (existing && typeof existing['sha256'] === 'string' && existing['sha256'] !== file.sha256) {
      await file.discard();
      return {
        ok: false,
        code: 'CONFLICT',
        message: `Evidence ${key} already holds a different file (SHA-256 ${existing['sha256']})`,
      };
    }
    const mediaType = sniffMediaType(file.head, file.size <= SNIFF_BYTES);
    const now = new Date();
    const capturedAt = input.capturedAt ?? now.toISOString();
    const blob = await store.put(file.path, file.sha256, file.size);
    try {
      // A file already recorded keeps its first statement: a statement is about the first capture.
      let signed: { jws: string; kid: string } | null = null;
      let tsa: { token: string; genTime: string } | { error: string } | null = null;
      if (typeof existing?.['statementJws'] !== 'string') {
        const statement: CaptureStatement = {
          v: 1,
          type: 'palisade.evidence.capture',
          evidenceId: key,
          sha256: file.sha256,
          size: file.size,
          mediaType,
          capturedAt,
          capturedBy: input.actor,
          sourceUrl: input.sourceUrl ?? null,
          nodeId: this.deps.nodeId,
          signedAt: now.toISOString(),
        };
        signed = await signCaptureStatement(this.deps.signer, statement);
        if (this.deps.tsa) {
          // The TSA stamps the statement's SHA-256: the timestamp covers everything it states.
          const digest = createHash('sha256').update(signed.jws, 'ascii').digest();
          const stamp = await this.deps.tsa.stamp(digest);
          tsa = stamp.ok
            ? { token: stamp.token.toString('base64'), genTime: stamp.genTime }
            : { error: stamp.message };
          if (!stamp.ok) this.deps.logger.warn({ reason: stamp.message }, 'TSA timestamp failed');
        }
      }
      const source = input.source ?? 'evidence-upload';
      const result = await db.writeTransaction(async (tx) => {
        const [lockRaw] = await tx.run('evidence/evidence-lock', { uid, key, nonce: randomUUID() });
        const lock = LockRow.parse(lockRaw);
        if (lock.sha256 !== null && lock.sha256 !== file.sha256) return null; // raced: refused below
        const [row] = await tx.run('evidence/evidence-capture', {
          uid,
          sha256: file.sha256,
          size: file.size,
          mediaType,
          declaredMediaType: input.declaredMediaType,
          filename: input.filename,
          storageUri: blob.uri,
          statementJws: signed?.jws ?? null,
          statementKid: signed?.kid ?? null,
          tsaToken: tsa && 'token' in tsa ? tsa.token : null,
          tsaGenTime: tsa && 'genTime' in tsa ? tsa.genTime : null,
          tsaError: tsa && 'error' in tsa ? tsa.error : null,
          capturedAt,
          capturedBy: input.actor,
          sourceUrl: input.sourceUrl ?? null,
          kind: input.kind ?? defaultKind(mediaType),
          title: input.title ?? null,
          description: input.description ?? null,
          tlp: input.tlp ?? this.deps.defaultTlp,
          now: now.toISOString(),
          source,
        });
        await tx.run('evidence/evidence-link', {
          uid,
          target: target.uid,
          source,
          now: now.toISOString(),
        });
        await this.custody.append(tx, uid, {
          at: now,
          action: 'CAPTURE',
          actor: input.actor,
          detail: {
            for: target.uid,
            sha256: file.sha256,
            size: file.size,
            mediaType,
            repeat: !lock.created && lock.sha256 !== null,
          },
        });
        return { props: PropsRow.parse(row).props, created: lock.created };
      });
      if (!result) {
        if (blob.created) await store.remove(file.sha256);
        return {
          ok: false,
          code: 'CONFLICT',
          message: `Evidence ${key} already holds a different file`,
        };
      }
      return {
        ok: true,
        evidence: toRecord(result.props),
        created: result.created,
        blobCreated: blob.created,
      };
    } catch (e) {
      // Nothing may be stored on failure: a blob this call created goes with the failed write.
      if (blob.created) await store.remove(file.sha256).catch(() => undefined);
      throw e;
    }
  }

  async get(uid: string): Promise<EvidenceRecord | null> {
    const [row] = await this.deps.db.read('evidence/evidence-get', { uid });
    return row ? toRecord(PropsRow.parse(row).props) : null;
  }

  /** Appends a custody entry (view, transfer, deletion request…) in its own transaction. */
  async recordCustody(
    uid: string,
    action: CustodyAction,
    actor: string,
    detail: { [key: string]: JsonValue } = {},
  ) {
    return this.custody.record(uid, { at: new Date(), action, actor, detail });
  }

  async updateMetadata(
    uid: string,
    fields: { title?: string | null; description?: string | null; tlp?: Tlp | null },
  ): Promise<EvidenceRecord | null> {
    const [row] = await this.deps.db.write('evidence/evidence-update', {
      uid,
      title: fields.title ?? null,
      description: fields.description ?? null,
      tlp: fields.tlp ?? null,
      now: new Date().toISOString(),
    });
    return row ? toRecord(PropsRow.parse(row).props) : null;
  }

  /** The stored bytes of an evidence item. */
  async open(record: EvidenceRecord): Promise<Readable> {
    const sha = record['sha256'];
    if (typeof sha !== 'string') throw new Error('this evidence record has no stored file');
    return this.deps.store.open(sha);
  }

  /** Re-hashes the stored file and checks it against the record and the signed statement. */
  async verify(uid: string): Promise<{
    fileIntact: boolean;
    storedSha256: string | null;
    statementValid: boolean;
    custodyVerified: boolean;
    problems: string[];
  } | null> {
    const record = await this.get(uid);
    if (!record) return null;
    const problems: string[] = [];
    let storedSha256: string | null = null;
    const recorded = typeof record['sha256'] === 'string' ? record['sha256'] : null;
    if (recorded === null) problems.push('the record has no file');
    else {
      try {
        const hash = createHash('sha256');
        for await (const chunk of await this.deps.store.open(recorded))
          hash.update(chunk as Buffer);
        storedSha256 = hash.digest('hex');
        if (storedSha256 !== recorded)
          problems.push('the stored file does not match its recorded SHA-256');
      } catch {
        problems.push('the stored file is missing');
      }
    }
    let statementValid = false;
    if (typeof record['statementJws'] === 'string') {
      const read = await readCaptureStatement(
        record['statementJws'],
        await this.deps.signer.jwks(),
      );
      if (!read.ok) problems.push(read.problem);
      else if (read.statement.sha256 !== recorded || read.statement.size !== record['size']) {
        problems.push('the signed statement does not match the record');
      } else statementValid = true;
    } else problems.push('the record has no signed statement');
    const custody = await this.custody.verify(uid);
    if (!custody.ok) problems.push(`custody chain: ${custody.problem} at entry ${custody.seq}`);
    return {
      fileIntact: storedSha256 !== null && storedSha256 === recorded,
      storedSha256,
      statementValid,
      custodyVerified: custody.ok,
      problems,
    };
  }

  private async target(
    forId: string,
  ): Promise<{ ok: true; uid: string } | { ok: false; code: CaptureRefusal; message: string }> {
    let uid: string;
    try {
      uid = uidOfGlobalId(forId);
    } catch {
      return { ok: false, code: 'UNKNOWN_TARGET', message: 'for: not a valid id' };
    }
    const [row] = await this.deps.db.read('evidence/target-get', { uid });
    if (!row)
      return { ok: false, code: 'UNKNOWN_TARGET', message: `for: no record has id ${forId}` };
    const labels = Array.isArray(row['labels']) ? row['labels'].map(String) : [];
    if (labels.includes('Evidence')) {
      return {
        ok: false,
        code: 'BAD_TARGET',
        message: 'for: evidence cannot be evidence for evidence',
      };
    }
    return { ok: true, uid };
  }
}

/** A graph object (GraphQL type Evidence, Relay id) from the node's properties. */
export function toRecord(props: Record<string, unknown>): EvidenceRecord {
  const obj = toGraphObject(['Evidence', 'Entity'], props) ?? props;
  return obj as EvidenceRecord;
}

// Builds a dossier for a case or a network: the items within the TLP ceiling (what is above it is
// left out and only counted), an EXPORT custody entry per included item, and one tar archive of
// evidence files, custody logs, graph, damages estimate (src/damages), public JWKS and the signed
// manifest.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { DOSSIER_MANIFEST_TYP, type StatementSigner } from '../federation/signed-statements.js';
import type { Logger } from '../server/logger.js';
import { writeArchive, type ArchiveEntry } from './archive.js';
import { DEFAULT_PARAMETERS, estimateDamages, type ListingSale } from '../damages/estimate.js';
import {
  DOSSIER_FORMAT,
  JWKS_PATH,
  MANIFEST_PATH,
  manifestBytes,
  SIGNATURE_PATH,
  type DossierManifest,
} from './dossier-manifest.js';
import { uidOfGlobalId, type EvidenceService } from './evidence-service.js';
import { markingOf, withinCeiling, type Tlp } from './tlp.js';

export type DossierSubject = { kind: 'case' | 'network'; id: string };

export type ExportResult =
  | {
      ok: true;
      dossier: {
        id: string;
        file: string;
        sha256: string;
        size: number;
        manifest: DossierManifest;
      };
    }
  | { ok: false; code: 'NOT_FOUND' | 'BAD_SUBJECT'; message: string };

const UidsRow = z.object({ uids: z.array(z.string()) });
const NodeRow = z.object({ labels: z.array(z.string()), props: z.record(z.string(), z.unknown()) });
const LinkRow = z.object({
  from: z.string(),
  type: z.string(),
  to: z.string(),
  props: z.record(z.string(), z.unknown()),
});
const DossierRow = z.object({
  id: z.string(),
  file: z.string(),
  sha256: z.string(),
  size: z.number(),
});

const NETWORK_NODE_LIMIT = 2000;
const INTERNAL_PROPS = new Set(['createdIn', 'lockedBy']);

interface GraphNodeOut {
  ref: string;
  labels: string[];
  props: Record<string, unknown>;
}

const refOf = (labels: string[], props: Record<string, unknown>): string =>
  typeof props['uid'] === 'string'
    ? props['uid']
    : labels.includes('Identifier')
      ? `Identifier:${String(props['kind'])}:${String(props['key'])}`
      : `?:${String(props['key'])}`;

const clean = (props: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(props).filter(([k]) => !INTERNAL_PROPS.has(k)));

const json = (value: unknown): Uint8Array =>
  new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A custody file name from any evidence key: readable, and unique through the uid's hash. */
const custodyPath = (uid: string, key: string): string =>
  `custody/${key.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80)}-${sha(new TextEncoder().encode(uid)).slice(0, 12)}.json`;

export interface DossierDeps {
  db: Database;
  evidence: EvidenceService;
  signer: StatementSigner;
  nodeId: string;
  defaultTlp: Tlp;
  dir: string;
  logger: Logger;
}

export class DossierService {
  constructor(private readonly deps: DossierDeps) {}

  async export(subject: DossierSubject, ceiling: Tlp, actor: string): Promise<ExportResult> {
    const { db } = this.deps;
    let uid: string;
    try {
      uid = uidOfGlobalId(subject.id);
    } catch {
      return { ok: false, code: 'BAD_SUBJECT', message: 'not a valid id' };
    }
    if (subject.kind === 'case' && !uid.startsWith('Case:')) {
      return { ok: false, code: 'BAD_SUBJECT', message: 'the id is not a case' };
    }
    const [scopeRow] =
      subject.kind === 'case'
        ? await db.read('evidence/dossier-case-scope', { uid })
        : await db.read('evidence/dossier-network-scope', { uid, limit: NETWORK_NODE_LIMIT });
    const scope = UidsRow.parse(scopeRow ?? { uids: [] }).uids;
    if (scope.length === 0)
      return { ok: false, code: 'NOT_FOUND', message: `no ${subject.kind} has id ${subject.id}` };
    const evidenceUids = (await db.read('evidence/dossier-evidence', { uids: scope })).map((r) =>
      String(r['uid']),
    );
    const all = [...new Set([...scope, ...evidenceUids])];
    const nodes = (await db.read('evidence/dossier-nodes', { uids: all })).map((r) =>
      NodeRow.parse(r),
    );
    const links = (await db.read('evidence/dossier-links', { uids: all })).map((r) =>
      LinkRow.parse(r),
    );

    // The TLP ceiling: an item above it is left out, and so is every link that touches it.
    const kept = new Map<string, GraphNodeOut>();
    const withheld = { evidence: 0, entities: 0, links: 0 };
    for (const n of nodes) {
      const ref = refOf(n.labels, n.props);
      if (kept.has(ref)) continue;
      if (withinCeiling(markingOf(n.props['tlp'], this.deps.defaultTlp), ceiling)) {
        kept.set(ref, {
          ref,
          labels: n.labels.filter((l) => l !== 'Entity'),
          props: clean(n.props),
        });
      } else if (n.labels.includes('Evidence')) withheld.evidence++;
      else withheld.entities++;
    }
    const keptLinks = links.filter((l) => kept.has(l.from) && kept.has(l.to));
    withheld.links = links.length - keptLinks.length;
    const evidence = [...kept.values()].filter((n) => n.labels.includes('Evidence'));

    const dossierId = randomUUID();
    const createdAt = new Date();
    // Recorded before the logs are read, so each log in the dossier shows this very export.
    if (evidence.length > 0) {
      await db.writeTransaction(async (tx) => {
        for (const e of evidence) {
          await this.deps.evidence.custody.append(tx, e.ref, {
            at: createdAt,
            action: 'EXPORT',
            actor,
            detail: { dossierId, tlpCeiling: ceiling, subject: uid },
          });
        }
      });
    }
    const entries: ArchiveEntry[] = [];
    const files: DossierManifest['files'] = [];
    const addBytes = (path: string, bytes: Uint8Array) => {
      entries.push({ path, size: bytes.length, content: bytes });
      files.push({ path, sha256: sha(bytes), size: bytes.length });
    };
    const index: Record<string, unknown>[] = [];
    const blobs = new Set<string>();
    for (const e of evidence) {
      const p = e.props;
      const fileSha =
        typeof p['sha256'] === 'string' && typeof p['size'] === 'number' ? p['sha256'] : null;
      let path: string | null = null;
      if (fileSha !== null && (await this.deps.evidence.store.exists(fileSha))) {
        path = `evidence/${fileSha}`;
        if (!blobs.has(fileSha)) {
          blobs.add(fileSha);
          const size = p['size'] as number;
          entries.push({ path, size, content: () => this.deps.evidence.store.open(fileSha) });
          files.push({ path, sha256: fileSha, size });
        }
      }
      const log = await this.deps.evidence.custody.log(e.ref);
      const logPath = custodyPath(e.ref, String(p['key']));
      addBytes(logPath, json({ item: log.item, head: log.head, entries: log.entries }));
      index.push({
        uid: e.ref,
        key: p['key'],
        kind: p['kind'] ?? null,
        title: p['title'] ?? null,
        description: p['description'] ?? null,
        sha256: fileSha,
        size: p['size'] ?? null,
        mediaType: p['mediaType'] ?? null,
        declaredMediaType: p['declaredMediaType'] ?? null,
        filename: p['filename'] ?? null,
        capturedAt: p['capturedAt'] ?? null,
        capturedBy: p['capturedBy'] ?? null,
        sourceUrl: p['sourceUrl'] ?? null,
        tlp: markingOf(p['tlp'], this.deps.defaultTlp),
        statementJws: typeof p['statementJws'] === 'string' ? p['statementJws'] : null,
        rfc3161Token: p['tsaToken'] ?? null,
        path,
        custodyLog: logPath,
      });
    }
    addBytes('evidence/index.json', json(index));
    addBytes('graph.json', json({ nodes: [...kept.values()], links: keptLinks }));
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    const listings: ListingSale[] = [...kept.values()]
      .filter((n) => n.labels.includes('Listing'))
      .map((n) => ({
        uid: n.ref,
        url: str(n.props['url']),
        title: str(n.props['title']),
        unitsSold: typeof n.props['unitsSold'] === 'number' ? n.props['unitsSold'] : null,
        price: typeof n.props['price'] === 'number' ? n.props['price'] : null,
        currency: typeof n.props['currency'] === 'string' ? n.props['currency'] : null,
      }));
    // The damages domain's estimate (sales × 30 % × 50 % × 2 by default) over the included listings.
    addBytes(
      'damages.json',
      json({
        formula: 'Σ(unitsSold × price) × profitRate × ipContributionRate × punitiveMultiplier',
        ...estimateDamages(listings, DEFAULT_PARAMETERS),
      }),
    );
    addBytes(JWKS_PATH, json(await this.deps.signer.jwks()));

    const manifest: DossierManifest = {
      format: DOSSIER_FORMAT,
      dossierId,
      nodeId: this.deps.nodeId,
      createdAt: createdAt.toISOString(),
      createdBy: actor,
      subject: { kind: subject.kind, uid },
      tlpCeiling: ceiling,
      withheld,
      files,
    };
    const bytes = manifestBytes(manifest);
    const { jws } = await this.deps.signer.sign(bytes, DOSSIER_MANIFEST_TYP);
    const head: ArchiveEntry[] = [
      { path: MANIFEST_PATH, size: bytes.length, content: bytes },
      {
        path: SIGNATURE_PATH,
        size: Buffer.byteLength(jws),
        content: new TextEncoder().encode(jws),
      },
    ];

    await mkdir(this.deps.dir, { recursive: true, mode: 0o700 });
    const file = join(this.deps.dir, `${dossierId}.tar`);
    const temp = `${file}.part`;
    try {
      await writeArchive(createWriteStream(temp, { mode: 0o600 }), [...head, ...entries]);
      await rename(temp, file);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    const archiveSha = hash.digest('hex');
    const size = (await stat(file)).size;
    await db.write('evidence/dossier-record', {
      id: dossierId,
      subjectKind: subject.kind,
      subjectUid: uid,
      tlp: ceiling,
      createdAt: createdAt.toISOString(),
      createdBy: actor,
      sha256: archiveSha,
      size,
      file,
      evidence: evidence.length,
    });
    this.deps.logger.info(
      { dossierId, subject: uid, evidence: evidence.length, withheld },
      'dossier exported',
    );
    return { ok: true, dossier: { id: dossierId, file, sha256: archiveSha, size, manifest } };
  }

  async get(
    id: string,
  ): Promise<{ id: string; file: string; sha256: string; size: number } | null> {
    const [row] = await this.deps.db.read('evidence/dossier-get', { id });
    return row ? DossierRow.parse(row) : null;
  }
}

// STIX 2.1 import as a service: a bundle from MISP, OpenCTI or another Palisade node → the node's
// graph through the ingest path (the same validation, normalizers and MERGE statements as every
// record), in ONE write transaction with the TLP markings, so what is stored is stored whole or not
// at all. Answers per object: imported, merged (it was all there already), skipped or rejected,
// with the reason. Re-importing a bundle changes nothing.
import type { Config } from '../../config.js';
import { IDENTIFIER_LABELS, uidToId } from '../../graph/model.js';
import type { Counts } from '../../ingest/batch.js';
import type { Ingestor } from '../../ingest/ingest.js';
import { planObservation, type RecordPatch } from '../../ingest/plan.js';
import type { Tlp } from '../../federation/sharing-policy.js';
import type { Logger } from '../../server/logger.js';
import { toGlobalId } from '../../server/relay.js';
import { DEFAULT_IMPORT_LIMITS, parseBundle, type ImportLimits } from './import-model.js';
import { planImport, type PlanItem } from './import-plan.js';
import { stricter } from './tlp.js';

export type StixObjectStatus = 'imported' | 'merged' | 'skipped' | 'rejected';

export interface StixObjectResult {
  /** Position in the bundle's `objects`. */
  index: number;
  id: string | null;
  type: string | null;
  status: StixObjectStatus;
  /** Why it was skipped or rejected; for stored objects, what was kept raw. */
  reason: string | null;
  /** The marking kept on what it stored. */
  tlp: Tlp | null;
  /** Relay ids of the graph nodes it stored or merged into. */
  nodes: string[];
  /** Identifiers that could not be normalized and were kept raw (normalized = false). */
  unnormalized: number;
}

export interface StixImportResult {
  bundleId: string;
  objects: number;
  imported: number;
  merged: number;
  skipped: number;
  rejected: number;
  nodesCreated: number;
  relationshipsCreated: number;
  results: StixObjectResult[];
}

export interface StixImportOptions {
  /** Source for objects whose author the bundle does not name (default `stix:<bundle id>`). */
  source?: string;
}

export interface StixImporter {
  /** Imports a bundle given as JSON text (or already parsed). Throws only for an unreadable bundle. */
  import(bundle: unknown, options?: StixImportOptions): Promise<StixImportResult>;
}

type Prepared = { index: number; patch: RecordPatch };

/** Relay ids of what a patch stores (its record node, else its identifiers). */
function nodesOf(patch: RecordPatch): string[] {
  const primary = patch.primaryUid !== '' ? [uidToId(patch.primaryUid)] : [];
  const identifiers = patch.identifiers.map((i) => toGlobalId(IDENTIFIER_LABELS[i.kind], i.key));
  const refs = patch.nodes.map((n) => uidToId(n.uid)).filter((id) => !primary.includes(id));
  return [...primary, ...(patch.primaryUid !== '' ? identifiers : [...refs, ...identifiers])];
}

interface Mark {
  uid: string | null;
  kind: string | null;
  key: string | null;
  tlp: Tlp;
  /** The sources of the objects that asserted the node in this import. */
  sources: string[];
}

/** One mark per stored node: the strictest level any object that asserted it carried. */
function marksOf(prepared: readonly Prepared[], items: readonly PlanItem[]): Mark[] {
  const marks = new Map<string, Mark>();
  const add = (k: string, node: Pick<Mark, 'uid' | 'kind' | 'key'>, tlp: Tlp, source: string) => {
    const prev = marks.get(k);
    marks.set(k, {
      ...node,
      tlp: prev ? stricter(prev.tlp, tlp) : tlp,
      sources: prev?.sources.includes(source) ? prev.sources : [...(prev?.sources ?? []), source],
    });
  };
  for (const { index, patch } of prepared) {
    const tlp = items[index]!.tlp;
    if (tlp === null) continue;
    for (const n of patch.nodes) {
      add(`u\u0000${n.uid}`, { uid: n.uid, kind: null, key: null }, tlp, patch.source);
    }
    for (const i of patch.identifiers) {
      add(
        `i\u0000${i.kind}\u0000${i.key}`,
        { uid: null, kind: i.kind, key: i.key },
        tlp,
        patch.source,
      );
    }
  }
  return [...marks.values()];
}

export function createStixImporter(deps: {
  config: Config;
  ingestor: Ingestor;
  logger: Logger;
  limits?: ImportLimits;
}): StixImporter {
  const limits = deps.limits ?? DEFAULT_IMPORT_LIMITS;
  return {
    async import(input, options = {}) {
      const bundle = parseBundle(input, limits);
      const plan = planImport(bundle, {
        ...(options.source !== undefined && { fallbackSource: options.source }),
      });
      const items = plan.items;
      const prepared = new Map<number, Prepared>();
      const warnings = new Map<number, number>();

      // Everything is validated and planned before anything is written.
      for (const item of items) {
        if (item.status !== 'write' || !item.write) continue;
        const w = item.write;
        const planned =
          w.kind === 'entity'
            ? deps.ingestor.prepare({ index: item.index, kind: 'entity', value: w.record })
            : (() => {
                const r = planObservation(w.input, {
                  defaultRegion: deps.config.ingest.defaultRegion,
                });
                return r.ok
                  ? { ok: true as const, patch: r.patch }
                  : { ok: false as const, errors: r.errors };
              })();
        if (!planned.ok) {
          Object.assign(item, {
            status: 'rejected',
            reason: planned.errors.map((e) => e.message).join('; '),
            write: undefined,
          });
          continue;
        }
        prepared.set(item.index, { index: item.index, patch: planned.patch });
        warnings.set(item.index, planned.patch.warnings.length);
      }
      // A relationship whose end was refused would store half a fact: it goes too.
      for (let changed = true; changed;) {
        changed = false;
        for (const item of items) {
          if (item.status !== 'write') continue;
          const dead = item.dependsOn.find((d) => items[d]!.status !== 'write');
          if (dead === undefined) continue;
          Object.assign(item, {
            status: 'skipped',
            reason: `depends on ${items[dead]!.id}, which was ${items[dead]!.status}`,
          });
          prepared.delete(item.index);
          changed = true;
        }
      }

      const writes = [...prepared.values()].sort((a, b) => a.index - b.index);
      let counts = new Map<number, Counts>();
      if (writes.length > 0) {
        const marks = marksOf(writes, items);
        counts = await deps.ingestor.writeAtomic(writes, async (tx) => {
          if (marks.length > 0) {
            await tx.run('interop/import-markings', {
              marks,
              defaultTlp: deps.config.privacy.shareDefaultTlp,
            });
          }
        });
      }

      const results: StixObjectResult[] = items.map((item) => {
        const p = prepared.get(item.index);
        const c = counts.get(item.index);
        const created = c ? c.nodesCreated + c.relationshipsCreated : 0;
        const unnormalized = warnings.get(item.index) ?? 0;
        const status: StixObjectStatus = p
          ? created > 0
            ? 'imported'
            : 'merged'
          : item.status === 'rejected'
            ? 'rejected'
            : 'skipped';
        return {
          index: item.index,
          id: item.id,
          type: item.type,
          status,
          reason: p
            ? unnormalized > 0
              ? `${unnormalized} identifier(s) could not be normalized and were kept raw`
              : null
            : item.reason,
          tlp: p ? item.tlp : null,
          nodes: p ? nodesOf(p.patch) : [],
          unnormalized: p ? unnormalized : 0,
        };
      });
      const tally = (s: StixObjectStatus) => results.filter((r) => r.status === s).length;
      const summary: StixImportResult = {
        bundleId: bundle.id,
        objects: results.length,
        imported: tally('imported'),
        merged: tally('merged'),
        skipped: tally('skipped'),
        rejected: tally('rejected'),
        nodesCreated: [...counts.values()].reduce((n, c) => n + c.nodesCreated, 0),
        relationshipsCreated: [...counts.values()].reduce((n, c) => n + c.relationshipsCreated, 0),
        results,
      };
      // Counts only: ids and values stay out of the logs.
      deps.logger.info(
        {
          objects: summary.objects,
          imported: summary.imported,
          merged: summary.merged,
          skipped: summary.skipped,
          rejected: summary.rejected,
          nodesCreated: summary.nodesCreated,
        },
        'STIX bundle imported',
      );
      return summary;
    },
  };
}

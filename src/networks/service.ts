// The networks domain as the rest of the node sees it: the ingest hook (update the networks a
// batch touched), removal of a wrong link (the split it may cause, and the tombstone that keeps a
// re-import from bringing it back), its explicit restoration, and the full recompute.
import type { GraphRef } from '../explore/refs.js';
import type { Database } from '../db/database.js';
import { normalizeIdentifier } from '../identifiers/index.js';
import type { BatchParams } from '../ingest/batch.js';
import type { Logger } from '../server/logger.js';
import { LinkStore, type LinkKey, type LinkParams } from './link-store.js';
import { NetworkMaintainer, type UpdateSummary } from './maintainer.js';
import type { NetworkSettings } from './settings.js';

export interface RetractResult {
  removed: number;
  update: UpdateSummary;
}

export interface RestoreResult {
  restored: number;
  update: UpdateSummary;
}

/** "kind:key" of each excluded identifier, normalized like ingest does (any spelling works). */
export function excludedKeys(settings: NetworkSettings, defaultRegion: string): string[] {
  return settings.excluded.map(({ kind, value }) => {
    const n = normalizeIdentifier({ kind, value, region: defaultRegion });
    return `${kind}:${n.ok ? n.key : `raw:${value.trim()}`}`;
  });
}

/**
 * The relationships of an ingest batch named as link tombstones name them (start uid, type, and
 * the end's uid or "kind:key"): ingest must not recreate a link whose tombstone exists.
 */
export function batchLinkKeys(batch: BatchParams): LinkKey[] {
  return [
    ...batch.entityLinks.map((l) => ({ from: l.from, type: l.type, to: l.to })),
    ...batch.identifierLinks.map((l) => ({ from: l.from, type: l.type, to: `${l.kind}:${l.key}` })),
  ];
}

/** A safe thing to log about a failure: an error code or class name, never a message. */
function errorCode(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') {
    return e.code;
  }
  return e instanceof Error ? e.name : 'unknown';
}

export class NetworkService {
  readonly maintainer: NetworkMaintainer;

  constructor(
    private readonly deps: {
      db: Database;
      logger: Logger;
      settings: NetworkSettings;
      defaultRegion: string;
    },
  ) {
    const { settings } = deps;
    const store = new LinkStore(deps.db, {
      kinds: settings.identifierKinds,
      routes: settings.routes,
      parties: settings.parties,
      excluded: excludedKeys(settings, deps.defaultRegion),
      hubLimit: settings.hubLimit,
    });
    this.maintainer = new NetworkMaintainer({
      store,
      logger: deps.logger,
      minSellers: settings.minSellers,
      maxComponentMembers: settings.maxComponentMembers,
    });
  }

  /**
   * The ingest hook: after a batch commits, update the networks around what it wrote (and delete
   * again any link of the batch that an analyst removed). A failure here is logged, not thrown:
   * the batch is stored, and `recomputeNetworks` repairs networks.
   */
  readonly afterBatch = async (batch: BatchParams): Promise<void> => {
    try {
      await this.maintainer.update({
        uids: batch.nodes.map((n) => n.uid),
        identifiers: batch.identifiers.map((i) => ({ kind: i.kind, key: i.key })),
        links: batchLinkKeys(batch),
      });
    } catch (e) {
      this.deps.logger.error(
        { err: errorCode(e) },
        'network update after an ingest batch failed; run palisade networks recompute',
      );
    }
  };

  /**
   * Removes a wrong link between two nodes, remembers the removal (a re-import of the same
   * observation does not bring it back) and splits the networks it held together.
   */
  retract(from: GraphRef, type: string, to: GraphRef): Promise<RetractResult> {
    return this.maintainer.retract(linkParams(from, type, to));
  }

  /** Restores a link removed earlier, as it was, and merges the networks it links. */
  restore(from: GraphRef, type: string, to: GraphRef): Promise<RestoreResult> {
    return this.maintainer.restore(linkParams(from, type, to));
  }

  recompute(): Promise<UpdateSummary> {
    return this.maintainer.recomputeAll();
  }
}

function linkParams(from: GraphRef, type: string, to: GraphRef): LinkParams {
  return {
    fromUid: 'uid' in from ? from.uid : null,
    fromKind: 'kind' in from ? from.kind : null,
    fromKey: 'key' in from ? from.key : null,
    toUid: 'uid' in to ? to.uid : null,
    toKind: 'kind' in to ? to.kind : null,
    toKey: 'key' in to ? to.key : null,
    type,
  };
}

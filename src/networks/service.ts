// The networks domain as the rest of the node sees it: the ingest hook (update the networks a
// batch touched), retraction of a wrong link (and the split it may cause), the full recompute.
import type { Database } from '../db/database.js';
import type { GraphRef } from '../explore/refs.js';
import { normalizeIdentifier } from '../identifiers/index.js';
import type { BatchParams } from '../ingest/batch.js';
import type { Logger } from '../server/logger.js';
import { LinkStore } from './link-store.js';
import { NetworkMaintainer, type UpdateSummary } from './maintainer.js';
import type { NetworkSettings } from './settings.js';
import { z } from 'zod';

export interface RetractResult {
  removed: number;
  update: UpdateSummary;
}

const Removed = z.object({ removed: z.number().int() });
const ConnectorRow = z.object({ connector: z.string() });

/** "kind:key" of each excluded identifier, normalized like ingest does (any spelling works). */
export function excludedKeys(settings: NetworkSettings, defaultRegion: string): string[] {
  return settings.excluded.map(({ kind, value }) => {
    const n = normalizeIdentifier({ kind, value, region: defaultRegion });
    return `${kind}:${n.ok ? n.key : `raw:${value.trim()}`}`;
  });
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
   * The ingest hook: after a batch commits, update the networks around what it wrote. A failure
   * here is logged, not thrown: the batch is stored, and `recomputeNetworks` repairs networks.
   */
  readonly afterBatch = async (batch: BatchParams): Promise<void> => {
    try {
      await this.maintainer.update({
        uids: batch.nodes.map((n) => n.uid),
        identifiers: batch.identifiers.map((i) => ({ kind: i.kind, key: i.key })),
      });
    } catch (e) {
      this.deps.logger.error(
        { err: e instanceof Error ? e.name : 'unknown' },
        'network update after an ingest batch failed; run palisade networks recompute',
      );
    }
  };

  /** Removes a wrong link between two nodes and recomputes the networks around both ends. */
  async retract(from: GraphRef, type: string, to: GraphRef): Promise<RetractResult> {
    const db = this.deps.db;
    const params = { ...refParams('from', from), ...refParams('to', to), type };
    // The ends' connector ids are read before the link goes (a removed link may split a network).
    const connectors = [from, to]
      .filter((r) => !('uid' in r) || r.uid.startsWith('LogisticsRoute:'))
      .map((r) => db.read('networks/connector-id', refParams('', r)));
    const ids = (await Promise.all(connectors)).flat().map((r) => ConnectorRow.parse(r).connector);
    const [row] = await db.write('networks/retract-link', params);
    const removed = row ? Removed.parse(row).removed : 0;
    const uids = [from, to].flatMap((r) => ('uid' in r ? [r.uid] : []));
    const update = await this.maintainer.update({ uids, identifiers: [], connectors: ids });
    return { removed, update };
  }

  recompute(): Promise<UpdateSummary> {
    return this.maintainer.recomputeAll();
  }
}

function refParams(prefix: '' | 'from' | 'to', ref: GraphRef): Record<string, string | null> {
  const name = (k: string) => (prefix === '' ? k : `${prefix}${k[0]!.toUpperCase()}${k.slice(1)}`);
  return {
    [name('uid')]: 'uid' in ref ? ref.uid : null,
    [name('kind')]: 'kind' in ref ? ref.kind : null,
    [name('key')]: 'key' in ref ? ref.key : null,
  };
}

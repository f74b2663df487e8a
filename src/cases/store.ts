// The only code that runs cypher/cases/*: a case's timeline and the records in it.
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { toGraphObject } from '../graph/model.js';

const Props = z.record(z.string(), z.unknown());
const TimelineRow = z.object({
  kind: z.string(),
  at: z.string(),
  labels: z.array(z.string()),
  props: Props,
});
const NodeRow = z.object({ labels: z.array(z.string()), props: Props });

export interface TimelineEvent {
  kind: string;
  at: string;
  node: Record<string, unknown>;
}

export class CaseStore {
  constructor(private readonly db: Database) {}

  async timeline(caseUid: string): Promise<TimelineEvent[]> {
    return (await this.db.read('cases/timeline', { uid: caseUid })).flatMap((raw) => {
      const r = TimelineRow.parse(raw);
      const node = toGraphObject(r.labels, r.props);
      return node ? [{ kind: r.kind, at: r.at, node }] : [];
    });
  }

  async entities(caseUid: string): Promise<Array<Record<string, unknown>>> {
    return (await this.db.read('cases/entities', { uid: caseUid })).flatMap((raw) => {
      const r = NodeRow.parse(raw);
      const node = toGraphObject(r.labels, r.props);
      return node ? [node] : [];
    });
  }
}

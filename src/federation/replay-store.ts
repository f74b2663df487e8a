// Replay protection in Neo4j: request-token jtis (a ReplayGuard of its own transactions) and the
// inbox receipts (a guard bound to the receiving transaction), each an atomic MERGE on a unique
// jti; plus the loop that prunes entries past their retention.
import { randomUUID } from 'node:crypto';
import type { Database, Tx } from '../db/database.js';
import type { ReplayGuard } from './envelope.js';

/** Remembers request-token jtis across processes: the first caller of `seen` for a jti wins. */
export class Neo4jReplayGuard implements ReplayGuard {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async seen(jti: string, keepUntil: number): Promise<boolean> {
    const [row] = await this.db.write('federation/seen-token-claim', {
      jti,
      keepUntil,
      now: Math.floor(this.now().getTime() / 1000),
      nonce: randomUUID(),
    });
    return row?.['created'] !== true;
  }
}

/**
 * A guard that records the inbox receipt inside the receiving transaction, so the receipt, the
 * handler's effect and the audit entry commit together or not at all. The receipt outlives the
 * replay window (retentionSeconds): a re-delivery late in an outbox message's life still finds it.
 */
export function receiptGuard(tx: Tx, retentionSeconds: number, now: () => Date): ReplayGuard {
  return {
    async seen(jti, keepUntil) {
      const t = now();
      const [row] = await tx.run('federation/receipt-claim', {
        jti,
        now: t.toISOString(),
        keepUntil: Math.max(keepUntil, Math.floor(t.getTime() / 1000) + retentionSeconds),
        nonce: randomUUID(),
      });
      return row?.['created'] !== true;
    },
  };
}

/** Deletes expired receipts and seen tokens, in small batches, on an interval. */
export function startPruneLoop(
  db: Database,
  options: { intervalMs: number; onError: (e: unknown) => void },
): { stop(): void } {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const now = Math.floor(Date.now() / 1000);
      for (const name of ['federation/receipt-prune', 'federation/seen-token-prune']) {
        for (;;) {
          const [r] = await db.write(name, { now, limit: 1000 });
          if (Number(r?.['pruned'] ?? 0) < 1000) break;
        }
      }
    } catch (e) {
      options.onError(e);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

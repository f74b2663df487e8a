// Tokens per second end to end — normalize → blind → evaluate over HTTP → unblind → bundle → seal
// → deliver → open → match — against the OPRF round alone (blind → evaluate over HTTP → finalize)
// in the same run, on the same batch sizes, with brand A, brand B and association C on loopback.
// Prints JSON.
//
// Fairness: both paths are warmed up once (untimed, on other values) so neither pays for cold
// code; then each round times both on its own fresh values, alternating which goes first, so a
// machine whose load drifts penalizes neither. Nothing is cached across rounds: every round
// blinds afresh, the association evaluates every point, and B receives tokens it has not seen.
// A's outbox is drained by calling the sender's pass directly (its timer loop is off, so no second
// pass races it); the delivery is complete when B has acknowledged every envelope, which B does
// after matching in the same transaction, and the figure includes reading the match count at B.
//
// Run: npm run bench:federation [-- <tokens per round> [<rounds>]]
import { normalizeIdentifier } from '../../src/identifiers/index.js';
import {
  buildBundles,
  INDICATORS_MESSAGE_TYPE,
  type ShareRow,
} from '../../src/privacy/indicators.js';
import { startPrivacyCluster, type ClusterNode } from '../support/privacy-cluster.js';

const N = Number(process.argv[2] ?? 5000);
const ROUNDS = Number(process.argv[3] ?? 3);
const WARM_UP = Math.min(N, 1000);

/** Distinct Chinese mobile numbers, written two ways: set s holds numbers s·N … s·N + n − 1. */
function phones(set: number, n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const k = set * N + i;
    // 7919 is prime to 10^8: distinct k give distinct numbers.
    const digits = `139${String((k * 7919) % 100_000_000).padStart(8, '0')}`;
    return k % 2 === 0
      ? `+86 ${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`
      : `${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}`;
  });
}

/** Retries a step the loaded machine's Neo4j health check may refuse for a moment (UNAVAILABLE). */
async function retry<T>(fn: () => Promise<T>, attempts = 20): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= attempts) throw e;
      await new Promise((r) => setTimeout(r, 1500));
    }
  }
}

const normalized = (values: readonly string[]) =>
  values.flatMap((p) => {
    const n = normalizeIdentifier({ kind: 'phone', value: p, region: 'CN' });
    return n.ok ? [{ kind: 'phone', key: n.key }] : [];
  });

const cluster = await startPrivacyCluster({
  // The bench drains A's outbox itself (see above); B and C have nothing to send, so their idle
  // sender loops poll at the default interval rather than the tests' 100 ms.
  a: { PALISADE_FEDERATION_SENDER: 'false' },
  b: { PALISADE_FEDERATION_SEND_INTERVAL_MS: '1000' },
  c: { PALISADE_OPRF_POINTS_PER_HOUR: '100000000', PALISADE_FEDERATION_SEND_INTERVAL_MS: '1000' },
});
try {
  const { a, b } = cluster;
  const sets = Array.from({ length: ROUNDS }, (_, r) => phones(r + 1, N));
  const warmUp = phones(0, WARM_UP);

  // B holds every timed round's phones as its own identifiers (tokenized before timing), so every
  // token delivered in a timed round is a match at B; the warm-up's phones are not B's.
  const analyst = await b.node.tokens.issue({
    role: 'analyst',
    subject: 'bench',
    ttlSeconds: 3600,
  });
  const all = sets.flat();
  for (let i = 0; i < all.length; i += 1000) {
    const records = all.slice(i, i + 1000).map((p, j) => ({
      source: 'bench',
      observedAt: '2026-03-02T08:00:00Z',
      region: 'CN',
      platform: 'taobao',
      seller: { accountId: `bench-${i + j}` },
      identifiers: [{ kind: 'PHONE', value: p }],
    }));
    await retry(async () => {
      const res = await b.node.yoga.fetch('http://bench/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${analyst}` },
        body: JSON.stringify({
          query:
            'mutation($r: [ListingObservationInput!]!) { recordListingObservations(records: $r) { ok } }',
          variables: { r: records },
        }),
      });
      if (!res.ok) throw new Error(`ingest at B failed: ${res.status}`);
    });
  }
  const own = await retry(() => b.node.privacy.tokenizeAll());
  process.stderr.write(`B tokenized ${own.tokenized} own identifiers\n`);

  /** The OPRF round alone, on already normalized values. */
  const oprfRound = async (values: readonly string[]): Promise<number> => {
    const items = normalized(values);
    let t0 = 0;
    await retry(async () => {
      t0 = performance.now();
      await a.node.privacy.tokenizer.tokenize(items);
    });
    return (performance.now() - t0) / 1000;
  };

  let version = Date.now();
  /** The whole path; returns seconds (without the marking scaffolding), spans and B's matches. */
  const endToEnd = async (values: readonly string[], node: ClusterNode) => {
    const spans: Record<string, number> = {};
    let mark = performance.now();
    const lap = (name: string) => {
      const now = performance.now();
      spans[name] = +((now - mark) / 1000).toFixed(3);
      mark = now;
    };
    const t0 = performance.now();
    const items = normalized(values);
    lap('normalize');
    const { keyId, tokens } = await retry(() => a.node.privacy.tokenizer.tokenize(items));
    lap('tokenize');
    const rows: ShareRow[] = tokens.map((token) => ({
      kind: 'phone',
      token,
      platforms: ['jd'],
      categories: ['batteries'],
      firstSeen: '2026-03-02T08:00:00Z',
      lastSeen: '2026-03-02T08:00:00Z',
      listings: 1,
      tlp: 'GREEN',
    }));
    const bundles = buildBundles({
      rows,
      keyId,
      version: ++version,
      discloseIdentity: false,
      defaultTlp: 'GREEN',
    });
    lap('bundle');
    // Items need a current marking at the exit: these have no identifier at A, so mark them GREEN.
    // (Bench scaffolding a real brand already has: its duration is excluded from the figure.)
    const refOf = (ref: string) => ref.replace(/^ind:/, 'bench:');
    await a.node.db.driver.executeQuery(
      'UNWIND $refs AS r MERGE (s:Shareable {shareRef: r}) SET s.tlp = "GREEN"',
      { refs: bundles.flatMap((x) => x.items.map((i) => refOf(i.ref))) },
    );
    const scaffold = (performance.now() - mark) / 1000;
    mark = performance.now();
    await a.node.db.writeTransaction(async (tx) => {
      for (const x of bundles) {
        await a.node.federation.outbox.enqueue(tx, {
          peerId: node.id,
          messageType: INDICATORS_MESSAGE_TYPE,
          payload: x.payload,
          items: x.items.map((i) => ({ ...i, ref: refOf(i.ref) })),
        });
      }
    });
    lap('enqueue');
    let delivered = 0;
    while (delivered < bundles.length) {
      const sent = await a.node.federation.sender.runOnce().catch(() => 0);
      delivered += sent;
      // A pass that sent nothing (B refused for a moment, backing off) is not retried at once.
      if (sent === 0) await new Promise((r) => setTimeout(r, 50));
      if (performance.now() - t0 > 180_000) {
        const stuck = await a.node.federation.outbox.list({ limit: 5, offset: 0 });
        throw new Error(
          `only ${delivered} of ${bundles.length} envelopes delivered: ${JSON.stringify(stuck.map((m) => [m.status, m.lastError, m.decision]))}`,
        );
      }
    }
    lap('sealDeliverOpenMatch');
    const matched = await retry(() => node.node.privacy.store.countMatches({}));
    lap('readMatches');
    return {
      seconds: (performance.now() - t0) / 1000 - scaffold,
      envelopes: bundles.length,
      matched,
      spans,
    };
  };

  /** Each round is a first share: B forgets what A sent before (untimed). */
  const forgetReceived = () =>
    retry(() =>
      b.node.db.driver.executeQuery(
        'MATCH (x) WHERE x:PrivacyIndicator OR x:PrivacyBundle DETACH DELETE x',
      ),
    );

  await oprfRound(warmUp);
  await endToEnd(warmUp, b);
  await forgetReceived();
  process.stderr.write('warmed up\n');

  const rounds = [];
  for (const [r, values] of sets.entries()) {
    let oprfSeconds = 0;
    let e2e: Awaited<ReturnType<typeof endToEnd>> | undefined;
    if (r % 2 === 0) {
      oprfSeconds = await oprfRound(values);
      e2e = await endToEnd(values, b);
    } else {
      e2e = await endToEnd(values, b);
      oprfSeconds = await oprfRound(values);
    }
    // Every token of the round is a match at B.
    if (e2e.matched !== N) throw new Error(`round ${r + 1}: ${e2e.matched} of ${N} matched at B`);
    await forgetReceived();
    rounds.push({
      oprfRoundOnly: {
        seconds: +oprfSeconds.toFixed(3),
        tokensPerSecond: Math.round(N / oprfSeconds),
      },
      endToEnd: {
        seconds: +e2e.seconds.toFixed(3),
        tokensPerSecond: Math.round(N / e2e.seconds),
        envelopes: e2e.envelopes,
        spans: e2e.spans,
      },
      ratio: +(oprfSeconds / e2e.seconds).toFixed(3),
    });
    process.stderr.write(`round ${r + 1}: ratio ${rounds[rounds.length - 1]!.ratio}\n`);
  }
  const oprfTotal = rounds.reduce((s, r) => s + r.oprfRoundOnly.seconds, 0);
  const e2eTotal = rounds.reduce((s, r) => s + r.endToEnd.seconds, 0);
  const ratios = rounds.map((r) => r.ratio).sort((x, y) => x - y);
  console.log(
    JSON.stringify(
      {
        bench: 'federation',
        tokensPerRound: N,
        rounds: rounds.length,
        oprfRoundOnly: { tokensPerSecond: Math.round((N * rounds.length) / oprfTotal) },
        endToEnd: { tokensPerSecond: Math.round((N * rounds.length) / e2eTotal), matchedAtB: N },
        ratio: +(oprfTotal / e2eTotal).toFixed(3),
        medianRoundRatio: ratios[Math.floor(ratios.length / 2)],
        target: 0.5,
        perRound: rounds,
      },
      null,
      2,
    ),
  );
} finally {
  await cluster.stop();
}

// A brand's tokenizer: normalized identifier → tokenInput(kind, value) → blind (fresh scalar from
// node's CSPRNG) → the association evaluates (over HTTP, signed; or in process in tests and on the
// association itself) → unblind and finalize → `keyId.value`. The association sees only blinded
// points; the brand never holds the key, so it cannot compute anyone's token offline.
import { Buffer } from 'node:buffer';
import { normalizeIdentifier } from '../identifiers/index.js';
import type { IdentifierInput } from '../identifiers/types.js';
import { blindBatch, blindEvaluateBatch, finalizeBatch } from './oprf.js';
import type { OprfKeySource } from './oprf-keys.js';
import { MAX_OPRF_BATCH, OPRF_EVALUATE_PATH, OPRF_KEY_PATH } from './oprf-service.js';
import { formatToken, tokenFromOutput, tokenInput } from './token.js';

/** Whoever holds the OPRF key: evaluates blinded points under its current key. */
export interface OprfEvaluator {
  currentKeyId(): Promise<string>;
  /** At most MAX_OPRF_BATCH points; answers in the same order. */
  evaluate(blinded: readonly Uint8Array[]): Promise<{ keyId: string; evaluated: Uint8Array[] }>;
}

/** The association refused: past the member's budget (retry later) or another reason. */
export class OprfRefusedError extends Error {
  override readonly name = 'OprfRefusedError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly retryAfterSeconds: number | null,
  ) {
    super(`the association refused the OPRF request: ${code} (HTTP ${status})`);
  }
}

/** The evaluator inside the association's own process (and unit tests). */
export function localEvaluator(keys: OprfKeySource): OprfEvaluator {
  return {
    currentKeyId: () => keys.currentKeyId(),
    async evaluate(blinded) {
      const { keyId, pair } = await keys.current();
      return { keyId, evaluated: await blindEvaluateBatch(pair.secretKey, blinded) };
    },
  };
}

export interface HttpEvaluatorOptions {
  /** Where the association is and a fresh signed peer request token for it (single use). */
  association: () => Promise<{ baseUrl: string; requestToken: () => Promise<string> }>;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** Asks the association over HTTP, each request with its own signed peer request token. */
export function httpEvaluator(o: HttpEvaluatorOptions): OprfEvaluator {
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> => {
    const { baseUrl, requestToken } = await o.association();
    const res = await (o.fetch ?? fetch)(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await requestToken()}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
    });
    const parsed = (await res.json().catch(() => null)) as unknown;
    if (!res.ok) {
      const code =
        (parsed as { errors?: { extensions?: { code?: unknown } }[] } | null)?.errors?.[0]
          ?.extensions?.code ?? 'UNKNOWN';
      const retry = Number(res.headers.get('retry-after'));
      throw new OprfRefusedError(
        res.status,
        typeof code === 'string' ? code : 'UNKNOWN',
        Number.isFinite(retry) && retry > 0 ? retry : null,
      );
    }
    return parsed;
  };
  return {
    async currentKeyId() {
      const r = (await call('GET', OPRF_KEY_PATH)) as { keyId?: unknown };
      if (typeof r.keyId !== 'string') throw new Error('the association sent no key id');
      return r.keyId;
    },
    async evaluate(blinded) {
      const r = (await call('POST', OPRF_EVALUATE_PATH, {
        elements: blinded.map((b) => Buffer.from(b).toString('base64url')),
      })) as { keyId?: unknown; evaluated?: unknown };
      if (
        typeof r.keyId !== 'string' ||
        !Array.isArray(r.evaluated) ||
        r.evaluated.length !== blinded.length
      ) {
        throw new Error('the association answered with a malformed evaluation');
      }
      return {
        keyId: r.keyId,
        // finalize validates each element (canonical, not the identity) before using it.
        evaluated: r.evaluated.map((e) => new Uint8Array(Buffer.from(String(e), 'base64url'))),
      };
    },
  };
}

/** One identifier already normalized (the graph's kind and key). */
export interface NormalizedItem {
  kind: string;
  key: string;
}

/** Tokens in the order of the items, all under one key id. */
export interface TokenBatch {
  keyId: string;
  tokens: string[];
}

export class Tokenizer {
  constructor(private readonly evaluator: OprfEvaluator) {}

  currentKeyId(): Promise<string> {
    return this.evaluator.currentKeyId();
  }

  /**
   * Tokenizes normalized items in requests of at most 1000 points. When the association's key
   * changes between two requests (a period boundary), the earlier chunks are redone so that the
   * batch is under one key.
   */
  async tokenize(items: readonly NormalizedItem[]): Promise<TokenBatch> {
    const inputs = items.map((i) => tokenInput(i.kind, i.key));
    for (let attempt = 0; ; attempt++) {
      const tokens: string[] = [];
      let keyId: string | undefined;
      let mixed = false;
      for (let start = 0; start < inputs.length; start += MAX_OPRF_BATCH) {
        const chunk = inputs.slice(start, start + MAX_OPRF_BATCH);
        const blinded = await blindBatch(chunk);
        const answer = await this.evaluator.evaluate(blinded.map((b) => b.blindedElement));
        if (keyId !== undefined && answer.keyId !== keyId) {
          mixed = true;
          break;
        }
        keyId = answer.keyId;
        const outputs = await finalizeBatch(
          chunk,
          blinded.map((b) => b.blind),
          answer.evaluated,
        );
        for (const b of blinded) b.blind.fill(0);
        for (const out of outputs) tokens.push(formatToken(tokenFromOutput(answer.keyId, out)));
      }
      if (!mixed || attempt >= 2) {
        return { keyId: keyId ?? (await this.evaluator.currentKeyId()), tokens };
      }
    }
  }

  /** Normalizes raw identifiers first; values that do not normalize get null. */
  async tokenizeRaw(
    inputs: readonly IdentifierInput[],
  ): Promise<{ keyId: string; tokens: (string | null)[] }> {
    const normalized = inputs.map((i) => normalizeIdentifier(i));
    const ok: NormalizedItem[] = [];
    const at: number[] = [];
    normalized.forEach((n, i) => {
      if (n.ok) {
        ok.push({ kind: n.kind, key: n.key });
        at.push(i);
      }
    });
    const batch = await this.tokenize(ok);
    const tokens: (string | null)[] = inputs.map(() => null);
    at.forEach((pos, j) => (tokens[pos] = batch.tokens[j] ?? null));
    return { keyId: batch.keyId, tokens };
  }
}

// Canonical JSON (RFC 8785 / JCS subset): one byte string per JSON value, so hashes over it are stable.

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Thrown for values that have no canonical JSON form (NaN, functions, cycles, lone surrogates, …). */
export class CanonicalJsonError extends TypeError {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${message} at ${path}`);
    this.name = 'CanonicalJsonError';
  }
}

// Lone surrogates are not I-JSON (RFC 7493), and two encoders would disagree on how to write them.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function str(value: string, path: string): string {
  if (LONE_SURROGATE.test(value))
    throw new CanonicalJsonError('string holds a lone surrogate', path);
  // ES JSON.stringify escapes exactly the way RFC 8785 section 3.2.2.2 requires.
  return JSON.stringify(value);
}

function write(value: unknown, path: string, stack: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError('number is not finite', path);
      // ES number serialization is the one RFC 8785 prescribes (and it writes -0 as 0).
      return JSON.stringify(value);
    case 'string':
      return str(value, path);
    case 'object':
      break;
    default:
      throw new CanonicalJsonError(`${typeof value} is not JSON`, path);
  }
  if (stack.has(value)) throw new CanonicalJsonError('cycle', path);
  stack.add(value);
  try {
    if (Array.isArray(value)) {
      const items = (value as unknown[]).map((item, i) => {
        if (item === undefined)
          throw new CanonicalJsonError('undefined is not JSON', `${path}[${i}]`);
        return write(item, `${path}[${i}]`, stack);
      });
      return `[${items.join(',')}]`;
    }
    // Dates, Maps, class instances would go through toJSON or lose data: refuse rather than guess.
    if (!isPlainObject(value)) throw new CanonicalJsonError('only plain objects are JSON', path);
    const record = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units, which is the order RFC 8785 section 3.2.3 asks for.
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    const members = keys.map((k) => `${str(k, path)}:${write(record[k], `${path}.${k}`, stack)}`);
    return `{${members.join(',')}}`;
  } finally {
    stack.delete(value);
  }
}

/**
 * The canonical JSON text of a value: object members sorted by UTF-16 code units, no whitespace,
 * ES number formatting. Object members whose value is `undefined` are left out (as JSON.stringify
 * does), so an absent optional field and an undefined one hash the same.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) throw new CanonicalJsonError('undefined is not JSON', '$');
  return write(value, '$', new Set());
}

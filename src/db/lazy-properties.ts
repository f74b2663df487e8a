// Node properties read from the driver and converted to plain values one field at a time, when a
// field is first read. An expansion draws dozens of nodes, each with a dozen properties (dates,
// lists, integers), and a client typically selects two or three fields of each; converting every
// property up front was the largest part of what a read costs this process beyond the driver.
//
// The object behaves as the eagerly converted one would: the same fields, values and key order
// under reads, `in`, Object.keys, spread and JSON. Anything that enumerates or changes it first
// converts every property once; from then on it is an ordinary object behind the proxy.

type Convert = (value: unknown) => unknown;

/** Asks a lazy object for its handler (no WeakMap: every read of a node would pay for one). */
const HANDLER = Symbol('lazy properties');
const hasOwn = (o: object, k: PropertyKey) => Object.prototype.hasOwnProperty.call(o, k);

// A class, not a literal of closures: one handler per node, and no closure is created (and, under
// tsx, named) for each trap of each node.
class LazyHandler implements ProxyHandler<Record<string, unknown>> {
  /** Converted values of the properties read so far. */
  private converted: Map<string, unknown> | undefined;
  /** Whether every property now lives on the target (after an enumeration or a change). */
  settled = false;

  constructor(
    readonly raw: Record<string, unknown>,
    /** Fields set on top of the properties (they win over a property of the same name). */
    readonly fields: Record<string, unknown>,
    readonly convert: Convert,
    converted?: Map<string, unknown>,
  ) {
    this.converted = converted;
  }

  /** The values converted so far, to share with an object built on the same properties. */
  sharedConversions(): Map<string, unknown> {
    return (this.converted ??= new Map<string, unknown>());
  }

  private isField(key: PropertyKey): key is string {
    return typeof key === 'string' && (hasOwn(this.fields, key) || hasOwn(this.raw, key));
  }

  private valueOf(key: string): unknown {
    if (hasOwn(this.fields, key)) return this.fields[key];
    const converted = (this.converted ??= new Map<string, unknown>());
    if (converted.has(key)) return converted.get(key);
    const value = this.convert(this.raw[key]);
    converted.set(key, value);
    return value;
  }

  /** Writes every property onto the target in the eager order: properties, then fields. */
  private settle(target: Record<string, unknown>): Record<string, unknown> {
    if (this.settled) return target;
    this.settled = true;
    for (const key of Object.keys(this.raw)) {
      if (!hasOwn(this.fields, key)) target[key] = this.valueOf(key);
    }
    for (const key of Object.keys(this.fields)) target[key] = this.fields[key];
    return target;
  }

  get(target: Record<string, unknown>, key: PropertyKey, receiver: unknown): unknown {
    if (key === HANDLER) return this;
    if (!this.settled && this.isField(key)) return this.valueOf(key);
    return Reflect.get(target, key, receiver) as unknown;
  }

  has(target: Record<string, unknown>, key: PropertyKey): boolean {
    return (!this.settled && this.isField(key)) || Reflect.has(target, key);
  }

  ownKeys(target: Record<string, unknown>): ArrayLike<string | symbol> {
    return Reflect.ownKeys(this.settle(target));
  }

  getOwnPropertyDescriptor(target: Record<string, unknown>, key: PropertyKey) {
    return Reflect.getOwnPropertyDescriptor(this.settle(target), key);
  }

  set(target: Record<string, unknown>, key: PropertyKey, value: unknown): boolean {
    return Reflect.set(this.settle(target), key, value);
  }

  defineProperty(
    target: Record<string, unknown>,
    key: PropertyKey,
    descriptor: PropertyDescriptor,
  ): boolean {
    return Reflect.defineProperty(this.settle(target), key, descriptor);
  }

  deleteProperty(target: Record<string, unknown>, key: PropertyKey): boolean {
    return Reflect.deleteProperty(this.settle(target), key);
  }

  preventExtensions(target: Record<string, unknown>): boolean {
    return Reflect.preventExtensions(this.settle(target));
  }
}

/** Properties of one node (a map of driver values), each converted by `convert` when first read. */
export function lazyProperties(
  raw: Record<string, unknown>,
  convert: Convert,
): Record<string, unknown> {
  return new Proxy<Record<string, unknown>>({}, new LazyHandler(raw, {}, convert));
}

/**
 * A new object with `props`' properties and `fields` on top (fields last, as in
 * `{ ...props, ...fields }`). Lazy properties stay lazy: the new object shares what has been
 * converted so far and converts the rest when read.
 */
export function withFields(
  props: Record<string, unknown>,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  const handler = props[HANDLER as unknown as string] as LazyHandler | undefined;
  if (handler instanceof LazyHandler && !handler.settled) {
    const own =
      Object.keys(handler.fields).length === 0 ? fields : { ...handler.fields, ...fields };
    return new Proxy<Record<string, unknown>>(
      {},
      new LazyHandler(handler.raw, own, handler.convert, handler.sharedConversions()),
    );
  }
  // Copied, then set: V8 (Node 20) builds `{ ...props, ...fields }` some ten times slower.
  return Object.assign(Object.assign({}, props), fields);
}

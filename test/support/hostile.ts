// Hostile GraphQL requests, shared by the unit, integration and e2e tests and the load benchmark.

/** A selection nested `depth` levels deep. */
export function deepQuery(depth: number): string {
  return `{ nodeInfo ${'{ a '.repeat(depth - 1)}{ id }${' }'.repeat(depth - 1)} }`;
}

/** `count` aliases of __typename (aliases of __typename count: graphql-armor allowList: []). */
export function aliasQuery(count: number): string {
  return `{ ${Array.from({ length: count }, (_, i) => `a${i}: __typename`).join(' ')} }`;
}

/** A literal argument nesting lists `depth` deep. */
export function nestedListLiteral(depth: number): string {
  return `{ node(id: ${'['.repeat(depth)}"x"${']'.repeat(depth)}) { id } }`;
}

/** A request body whose variable nests lists `depth` deep (as text: JSON.stringify would recurse). */
export function nestedListVariableBody(depth: number): string {
  return `{"query":"query($id: ID!) { node(id: $id) { id } }","variables":{"id":${'['.repeat(depth)}"x"${']'.repeat(depth)}}}`;
}

/** One field carrying `count` directives. */
export function directiveQuery(count: number): string {
  return `{ __typename ${'@include(if: true) '.repeat(count)}}`;
}

export const INTROSPECTION = '{ __schema { types { name fields { name } } } }';
export const NORMAL = 'query NodeName { nodeInfo { nodeId name role } }';

/** A body sent as a stream (Transfer-Encoding: chunked, no Content-Length), in pieces of the given
 * size: the server learns how large it is only by reading it. */
export function chunkedBody(text: string, pieceBytes = 65_536): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) controller.close();
      else controller.enqueue(bytes.subarray(at, (at += pieceBytes)));
    },
  });
}

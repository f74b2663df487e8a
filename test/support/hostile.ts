// Hostile GraphQL requests, shared by the integration test, the e2e test and the load benchmark.

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

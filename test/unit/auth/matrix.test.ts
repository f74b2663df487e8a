// The written matrix against the live schema: every root operation listed, every operation × every
// role enforced through the real plugin (stub resolvers, no Neo4j), and no raw identifier reachable
// by a partner or an association.
import { makeExecutableSchema } from '@graphql-tools/schema';
import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  parse,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { authorize, compilePolicy, rootCoordinates } from '../../../src/auth/authorize.js';
import {
  IDENTIFIER_LIKE,
  MATRIX,
  NOT_SENSITIVE,
  OPERATIONS,
  PEER_ROLES,
  ROLES,
  type Role,
} from '../../../src/auth/matrix.js';
import type { Principal } from '../../../src/server/context.js';
import { createLogger } from '../../../src/server/logger.js';
import { loadTypeDefs, scalarResolvers } from '../../../src/server/schema.js';
import { useAuthorization } from '../../../src/server/use-authorization.js';
import { createGraphQLServer } from '../../../src/server/yoga.js';
import { generateOperations } from './schema-ops.js';

const CALLERS: readonly (Role | 'anonymous')[] = [...ROLES, 'anonymous'];

/** The live schema with every root field resolved by a stub that records that it ran. */
function stubbedSchema(extraTypeDefs: string[] = []): { schema: GraphQLSchema; reached: string[] } {
  const reached: string[] = [];
  const typeDefs = [...loadTypeDefs(), ...extraTypeDefs];
  const bare = makeExecutableSchema({ typeDefs, resolvers: [scalarResolvers] });
  const resolvers: Record<string, Record<string, () => never>> = {};
  for (const coordinate of rootCoordinates(bare)) {
    const [type, field] = coordinate.split('.') as [string, string];
    (resolvers[type] ??= {})[field] = () => {
      reached.push(coordinate);
      throw new Error('stub reached');
    };
  }
  const schema = makeExecutableSchema({ typeDefs, resolvers: [scalarResolvers, resolvers] });
  return { schema, reached };
}

function serverFor(schema: GraphQLSchema, introspection = true) {
  return createGraphQLServer({
    schema,
    logger: createLogger('silent'),
    graphiql: false,
    routes: [],
    plugins: [useAuthorization({ introspection })],
    authenticate: (request) =>
      Promise.resolve({
        subject: 'test',
        role: (request.headers.get('x-test-role') ?? 'anonymous') as Principal['role'],
      }),
  });
}

async function run(
  yoga: ReturnType<typeof serverFor>,
  role: string,
  query: string,
  variables: Record<string, unknown> = {},
  subscription = false,
): Promise<{ status: number; codes: string[] }> {
  const res = await yoga.fetch('http://palisade.test/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: subscription ? 'text/event-stream' : 'application/graphql-response+json',
      'x-test-role': role,
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  const codes = [...text.matchAll(/"code":"([A-Z_]+)"/g)].map((m) => m[1]!);
  return { status: res.status, codes };
}

describe('the authorization matrix covers the schema', () => {
  const { schema } = stubbedSchema();

  it('lists every root operation of the schema (a new operation must be added to src/auth/matrix.ts)', () => {
    const missing = rootCoordinates(schema).filter((c) => !(c in OPERATIONS));
    expect(missing, 'add these to OPERATIONS in src/auth/matrix.ts').toEqual([]);
  });

  it('lists no operation the schema does not have', () => {
    const stale = Object.keys(OPERATIONS).filter((c) => !rootCoordinates(schema).includes(c));
    expect(stale).toEqual([]);
  });

  it('names only known roles and real sensitive coordinates', () => {
    for (const roles of Object.values(OPERATIONS)) {
      for (const r of roles) expect(ROLES).toContain(r);
    }
    for (const c of MATRIX.sensitive) {
      const [type, field] = c.split('.') as [string, string];
      const t = schema.getType(type);
      expect(t, c).toBeDefined();
      if (field !== '*' && t && (isObjectType(t) || isInterfaceType(t))) {
        expect(Object.keys(t.getFields()), c).toContain(field);
      }
    }
  });

  it('lets peers see only types that exist, and never a mutation', () => {
    for (const t of MATRIX.peerVisibleTypes) expect(schema.getType(t), t).toBeDefined();
    for (const [c, roles] of Object.entries(OPERATIONS)) {
      if (c.startsWith('Mutation.') && !c.startsWith('Mutation.partner')) {
        expect(
          roles.filter((r) => PEER_ROLES.includes(r)),
          c,
        ).toEqual([]);
      }
    }
  });

  it('classifies every identifier-looking field a peer could see', () => {
    const policy = compilePolicy(schema);
    const unclassified: string[] = [];
    for (const name of MATRIX.peerVisibleTypes) {
      const t = schema.getType(name);
      if (!t || !(isObjectType(t) || isInterfaceType(t))) continue;
      for (const f of Object.keys(t.getFields())) {
        const c = `${name}.${f}`;
        if (IDENTIFIER_LIKE.test(f) && !policy.sensitive.has(c) && !(c in NOT_SENSITIVE)) {
          unclassified.push(c);
        }
      }
    }
    expect(unclassified, 'mark them @sensitive or justify them in NOT_SENSITIVE').toEqual([]);
  });
});

describe('every operation × every role, through the plugin', () => {
  const { schema, reached } = stubbedSchema();
  const yoga = serverFor(schema);
  const operations = generateOperations(schema);

  it('generates one operation per root field', () => {
    expect(operations.map((o) => o.coordinate).sort()).toEqual(rootCoordinates(schema));
  });

  for (const op of operations) {
    for (const role of CALLERS) {
      const allowed = role !== 'anonymous' && (OPERATIONS[op.coordinate] ?? []).includes(role);
      it(`${op.coordinate} is ${allowed ? 'allowed' : 'refused'} for ${role}`, async () => {
        reached.length = 0;
        const { status, codes } = await run(
          yoga,
          role,
          op.query,
          op.variables,
          op.kind === 'subscription',
        );
        if (allowed) {
          expect(codes).not.toContain('FORBIDDEN');
          expect(reached).toEqual([op.coordinate]);
        } else {
          expect(codes).toContain('FORBIDDEN');
          if (op.kind !== 'subscription') expect(status).toBe(403);
          expect(reached).toEqual([]);
        }
      });
    }
  }
});

describe('the walk cannot be dodged', () => {
  const { schema, reached } = stubbedSchema();
  const yoga = serverFor(schema);

  it('finds root fields behind aliases, fragments and inline fragments', async () => {
    const disguises = [
      '{ innocent: _ping }',
      'mutation { ... on Mutation { x: _ping } }',
      'mutation { ...F } fragment F on Mutation { _ping }',
      'mutation { ...A } fragment A on Mutation { ...B } fragment B on Mutation { _ping }',
    ];
    for (const q of disguises) {
      const query = q.startsWith('{') ? `mutation ${q}` : q;
      reached.length = 0;
      const { codes } = await run(yoga, 'viewer', query);
      expect(codes, query).toContain('FORBIDDEN');
      expect(reached).toEqual([]);
    }
  });

  it('judges the operation that runs when a document holds several', async () => {
    const query = 'query Ok { nodeInfo { __typename } } mutation Bad { _ping }';
    const res = await yoga.fetch('http://palisade.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-role': 'viewer' },
      body: JSON.stringify({ query, operationName: 'Bad' }),
    });
    expect(await res.text()).toContain('FORBIDDEN');
  });

  it('allows introspection only to staff, and only when the node allows it', async () => {
    const q = '{ __schema { queryType { name } } }';
    expect((await run(yoga, 'analyst', q)).codes).toEqual([]);
    expect((await run(yoga, 'partner', q)).codes).toContain('FORBIDDEN');
    const closed = serverFor(schema, false);
    expect((await run(closed, 'admin', q)).codes).toContain('FORBIDDEN');
    expect((await run(closed, 'admin', '{ __type(name: "Query") { name } }')).codes).toContain(
      'FORBIDDEN',
    );
  });

  it('lets anyone ask for __typename and nothing else without a role', async () => {
    expect((await run(yoga, 'anonymous', '{ __typename }')).codes).toEqual([]);
  });
});

// A fixture domain: a seller with raw identifiers behind Relay's node(id) and a peer-visible
// indicator type with one sensitive field, to prove the structural rules on shapes to come.
const FIXTURE = /* GraphQL */ `
  type FixtureSeller implements Node {
    id: ID!
    phone: String! @sensitive
    displayName: String!
  }
  type FixtureIndicator {
    token: String!
    rawValue: String @sensitive
    seller: FixtureSeller
  }
  interface FixtureIdentifier {
    value: String!
  }
  type FixturePhone implements FixtureIdentifier {
    value: String! @sensitive
  }
  type FixtureHash implements FixtureIdentifier {
    value: String!
  }
  extend type Query {
    fixtureIndicator: FixtureIndicator
    fixtureIdentifier: FixtureIdentifier
  }
`;

describe('partners and associations never reach a raw identifier', () => {
  const { schema } = stubbedSchema([FIXTURE]);
  const matrix = {
    ...MATRIX,
    operations: {
      ...MATRIX.operations,
      'Query.fixtureIndicator': ROLES,
      'Query.fixtureIdentifier': ROLES,
    },
    peerVisibleTypes: [
      ...MATRIX.peerVisibleTypes,
      'FixtureIndicator',
      'FixtureIdentifier',
      'FixturePhone',
      'FixtureHash',
    ],
  };
  const policy = compilePolicy(schema, matrix);
  const judge = (role: Role, query: string) =>
    authorize({ schema, policy, document: parse(query), role, introspection: true });

  it('refuses sensitive fields directly, through interfaces and through fragments', () => {
    const attempts = [
      '{ fixtureIndicator { rawValue } }',
      '{ fixtureIndicator { ...R } } fragment R on FixtureIndicator { r: rawValue }',
      '{ fixtureIdentifier { value } }',
      '{ fixtureIdentifier { ... on FixturePhone { value } } }',
      '{ fixtureIndicator { seller { displayName } } }',
      '{ node(id: "x") { ... on FixtureSeller { phone } } }',
    ];
    for (const role of PEER_ROLES) {
      for (const q of attempts) expect(judge(role, q), `${role}: ${q}`).not.toBeNull();
    }
    for (const q of attempts) expect(judge('analyst', q), q).toBeNull();
    expect(judge('partner', '{ fixtureIndicator { token } }')).toBeNull();
  });

  it('reaches no sensitive coordinate from any operation a peer may call, in the live schema', () => {
    const live = stubbedSchema().schema;
    const livePolicy = compilePolicy(live);
    for (const role of PEER_ROLES) {
      const allowed = Object.entries(OPERATIONS)
        .filter(([, roles]) => roles.includes(role))
        .map(([c]) => c);
      for (const coordinate of allowed) {
        for (const path of sensitivePaths(live, coordinate, livePolicy.sensitive)) {
          const denial = authorize({
            schema: live,
            policy: livePolicy,
            document: parse(path),
            role,
            introspection: true,
          });
          expect(denial, `${role} reached ${path}`).not.toBeNull();
        }
      }
    }
  });

  it('finds the sensitive paths it tests (the generator works on the fixture)', () => {
    const paths = sensitivePaths(schema, 'Query.fixtureIndicator', policy.sensitive);
    expect(paths.some((p) => p.includes('rawValue'))).toBe(true);
    expect(paths.some((p) => p.includes('phone'))).toBe(true);
  });
});

/** Queries reaching every sensitive field (and every field of a type peers may not see) below a root field. */
function sensitivePaths(
  schema: GraphQLSchema,
  coordinate: string,
  sensitive: ReadonlySet<string>,
): string[] {
  const [, rootField] = coordinate.split('.') as [string, string];
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (type: GraphQLNamedType, prefix: string, close: string, depth: number) => {
    if (depth > 6 || seen.has(`${type.name}@${depth}`)) return;
    seen.add(`${type.name}@${depth}`);
    const concrete: GraphQLNamedType[] =
      isInterfaceType(type) || isUnionType(type) ? [...schema.getPossibleTypes(type)] : [type];
    for (const t of concrete) {
      if (!isObjectType(t)) continue;
      const spread = t === type ? '' : `... on ${t.name} { `;
      const spreadClose = t === type ? '' : ' }';
      for (const f of Object.values(t.getFields())) {
        const named = getNamedType(f.type);
        const args = f.args.some((a) => a.type.toString().endsWith('!'))
          ? `(${f.args.map((a) => `${a.name}: ${a.type.toString().includes('Int') ? 1 : '"x"'}`).join(', ')})`
          : '';
        if (sensitive.has(`${t.name}.${f.name}`) || !MATRIX.peerVisibleTypes.includes(t.name)) {
          out.push(
            `${prefix}${spread}${f.name}${args}${isObjectType(named) || isInterfaceType(named) || isUnionType(named) ? ' { __typename }' : ''}${spreadClose}${close}`,
          );
        }
        if (isObjectType(named) || isInterfaceType(named) || isUnionType(named)) {
          walk(
            named,
            `${prefix}${spread}${f.name}${args} { `,
            ` }${spreadClose}${close}`,
            depth + 1,
          );
        }
      }
    }
  };
  const rootType = schema.getQueryType()!;
  const field = rootType.getFields()[rootField];
  if (!field) return out;
  const named = getNamedType(field.type);
  const args = field.args.length ? `(${field.args.map((a) => `${a.name}: "x"`).join(', ')})` : '';
  if (isObjectType(named) || isInterfaceType(named) || isUnionType(named)) {
    walk(named, `{ ${rootField}${args} { `, ' } }', 0);
  }
  return out;
}

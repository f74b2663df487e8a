// Generates the smallest valid operation for every root field of a schema (tests of the matrix).
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';

export interface GeneratedOperation {
  coordinate: string;
  kind: 'query' | 'mutation' | 'subscription';
  query: string;
  variables: Record<string, unknown>;
}

const SCALARS: Record<string, unknown> = {
  String: 'x',
  ID: 'x',
  Int: 1,
  Float: 1.5,
  Boolean: true,
  DateTime: '2026-01-01T00:00:00Z',
  Date: '2026-01-01',
};

/** A minimal value of an input type: required fields only, empty lists. */
export function sampleValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType);
  if (isListType(type)) return [];
  if (isEnumType(type)) return type.getValues()[0]?.name;
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) {
      if (isNonNullType(f.type) && f.defaultValue === undefined) out[f.name] = sampleValue(f.type);
    }
    return out;
  }
  return SCALARS[type.name] ?? 'x';
}

function operationFor(
  kind: GeneratedOperation['kind'],
  typeName: string,
  field: GraphQLField<unknown, unknown>,
): GeneratedOperation {
  const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const defs = required.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = required.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return {
    coordinate: `${typeName}.${field.name}`,
    kind,
    query: `${kind} Op${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`,
    variables: Object.fromEntries(required.map((a) => [a.name, sampleValue(a.type)])),
  };
}

export function generateOperations(schema: GraphQLSchema): GeneratedOperation[] {
  const roots = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ] as const;
  return roots.flatMap(([kind, type]) =>
    type ? Object.values(type.getFields()).map((f) => operationFor(kind, type.name, f)) : [],
  );
}

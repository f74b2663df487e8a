// Builds the executable schema from schema/*.graphql and the domains' resolver maps.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { IResolvers } from '@graphql-tools/utils';
import { GraphQLScalarType, Kind, type GraphQLSchema } from 'graphql';
import { BadUserInputError } from './errors.js';

export const SCHEMA_DIR = fileURLToPath(new URL('../../schema/', import.meta.url));

export function loadTypeDefs(dir: string = SCHEMA_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

function isoScalar(name: string, pattern: RegExp, description: string): GraphQLScalarType {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !pattern.test(value) || Number.isNaN(Date.parse(value))) {
      throw new BadUserInputError(`${name} must be ${description}`);
    }
    return value;
  };
  return new GraphQLScalarType({
    name,
    serialize: (v) => (v instanceof Date ? v.toISOString() : String(v)),
    parseValue: check,
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING) throw new BadUserInputError(`${name} must be a string`);
      return check(ast.value);
    },
  });
}

export const scalarResolvers = {
  DateTime: isoScalar(
    'DateTime',
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/,
    'an ISO 8601 date-time with a zone, e.g. 2026-11-29T05:13:16Z',
  ),
  Date: isoScalar('Date', /^\d{4}-\d{2}-\d{2}$/, 'an ISO 8601 date, e.g. 2026-11-29'),
};

export function buildSchema(resolvers: IResolvers[]): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers: [scalarResolvers, ...resolvers],
    inheritResolversFromInterfaces: true,
  });
}

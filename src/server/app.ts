// Assembles the HTTP application (GraphQL + routes) from already-built parts; no I/O here.
import type { IResolvers } from '@graphql-tools/utils';
import type { Authenticate } from '../auth/principal.js';
import type { Logger } from './logger.js';
import type { Route } from './routes.js';
import { buildSchema } from './schema.js';
import { createGraphQLServer, type Yoga, type YogaPlugin } from './yoga.js';

export interface AppParts {
  logger: Logger;
  graphiql: boolean;
  resolvers: IResolvers[];
  routes: Route[];
  plugins?: YogaPlugin[];
  authenticate?: Authenticate;
  corsOrigins?: readonly string[];
  batchLimit?: number;
}

export function createApp(parts: AppParts): Yoga {
  return createGraphQLServer({
    schema: buildSchema(parts.resolvers),
    logger: parts.logger,
    graphiql: parts.graphiql,
    routes: parts.routes,
    ...(parts.plugins && { plugins: parts.plugins }),
    ...(parts.authenticate && { authenticate: parts.authenticate }),
    ...(parts.corsOrigins && { corsOrigins: parts.corsOrigins }),
    ...(parts.batchLimit !== undefined && { batchLimit: parts.batchLimit }),
  });
}

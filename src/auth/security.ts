// Builds the node's access-control and abuse-resistance parts from the config: token issuer and
// verifier, the authenticator, and the yoga plugins in the order they must run. Called by main.ts.
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { Config } from '../config.js';
import {
  createAccessTokenVerifier,
  createTokenIssuer,
  loadOrCreateIssuerKey,
  publicIssuerJwk,
  type AccessTokenIssuer,
  type AccessTokenVerifier,
} from '../federation/access-tokens.js';
import type { Principal } from '../server/context.js';
import type { Logger } from '../server/logger.js';
import { metricsRoute, type Metrics } from '../server/metrics.js';
import type { Route } from '../server/routes.js';
import type { YogaPlugin } from '../server/yoga.js';
import { principalOf, useAuthentication } from '../server/use-authentication.js';
import { useAuthorization } from '../server/use-authorization.js';
import { useBodyLimit } from '../server/use-body-limit.js';
import { useLimits } from '../server/use-limits.js';
import { useMetrics } from '../server/use-metrics.js';
import { bucketKeyOf, useRateLimit } from '../server/use-rate-limit.js';
import { RateLimitedError } from '../server/errors.js';
import { loadTrustedDocuments, useTrustedDocuments } from '../server/use-trusted-documents.js';
import { createAuthenticator, type Authenticate, type PeerAuthenticator } from './principal.js';
import { RateLimiter } from './rate-limiter.js';

export const GRAPHQL_ENDPOINT = '/graphql';

export interface Security {
  issuer: AccessTokenIssuer;
  verifier: AccessTokenVerifier;
  authenticate: Authenticate;
  /** authenticate, then charge the caller's rate-limit bucket (RATE_LIMITED past it). */
  authenticateLimited: Authenticate;
  /** The principal resolved for a request (yoga's context hook). */
  principalOf: (request: Request) => Principal;
  plugins: YogaPlugin[];
  routes: Route[];
  limiter: RateLimiter;
}

export interface SecurityDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** The federation domain's verifier of signed peer request tokens, once it exists. */
  peers?: PeerAuthenticator;
  /**
   * The token buckets; pass the one the peer authenticator charges, so that a peer has one bucket.
   * @default a new RateLimiter
   */
  limiter?: RateLimiter;
}

export async function createSecurity(deps: SecurityDeps): Promise<Security> {
  const { config, logger, metrics } = deps;
  const { auth, limits } = config;
  const keyFile = await loadOrCreateIssuerKey(auth.issuerKeyFile);
  const issuer = await createTokenIssuer(keyFile, {
    issuer: auth.issuer,
    audience: auth.audience,
    maxTtlSeconds: auth.maxTokenTtlSeconds,
  });
  const verifier = createAccessTokenVerifier({
    local: { issuer: auth.issuer, audience: auth.audience, publicJwk: publicIssuerJwk(keyFile) },
    ...(auth.oidc && { oidc: auth.oidc }),
  });
  if (auth.disabled) {
    logger.warn('PALISADE_DEV_AUTH=off: every caller is treated as an admin (development only)');
  }
  const authenticate = createAuthenticator({
    verifier,
    disabled: auth.disabled,
    ...(deps.peers && { peers: deps.peers }),
    // The reason code only: never the token.
    onRefused: (reason) => logger.info({ reason }, 'authentication refused'),
  });
  const limiter = deps.limiter ?? new RateLimiter();
  // Read once at start: a manifest that cannot be used stops the node (TrustedDocumentsError).
  const trustedDocuments =
    limits.trustedDocumentsFile !== undefined
      ? await loadTrustedDocuments(limits.trustedDocumentsFile)
      : undefined;
  const plugins: YogaPlugin[] = [
    useMetrics(metrics, GRAPHQL_ENDPOINT),
    // An oversized body is refused before anything else reads it (or verifies a signature).
    useBodyLimit(limits.maxBodyBytes, () => metrics.refused('body_too_large')),
    useAuthentication({
      authenticate,
      logger,
      graphqlEndpoint: GRAPHQL_ENDPOINT,
      graphiql: config.http.graphiql,
      onRefused: (code) => {
        if (code === 'RATE_LIMITED') metrics.refused('rate_limited');
        else if (code === 'UNAUTHENTICATED') metrics.refused('unauthenticated');
      },
    }),
    useRateLimit({
      limiter,
      perSubject: limits.rate,
      perPeer: limits.peerRate,
      principalOf,
      onRefused: () => metrics.refused('rate_limited'),
    }),
    // Browsers send Authorization only after a CORS preflight, so it proves a non-simple request.
    useCSRFPrevention({ requestHeaders: ['authorization', 'x-palisade-csrf'] }),
    // Before the limits: they then check the trusted text the document id stands for.
    ...(trustedDocuments
      ? [
          useTrustedDocuments({
            documents: trustedDocuments,
            onRefused: (reason) => {
              metrics.refused('forbidden');
              logger.info({ reason }, 'operation refused: not a trusted document');
            },
          }),
        ]
      : []),
    ...useLimits({
      limits,
      blockFieldSuggestions: !auth.introspection,
      onRefused: (reason) => metrics.refused(reason),
    }),
    ...(auth.introspection ? [] : [useDisableIntrospection()]),
    useAuthorization({
      introspection: auth.introspection,
      onDenied: (denial, principal) => {
        metrics.refused(denial.reason === 'INTROSPECTION' ? 'introspection' : 'forbidden');
        logger.info(
          { reason: denial.reason, coordinate: denial.coordinate, role: principal.role },
          'operation refused',
        );
      },
    }),
  ];
  const routes = [
    metricsRoute({
      metrics,
      ...(auth.metricsToken !== undefined && { metricsToken: auth.metricsToken }),
      authenticate,
    }),
  ];
  // For routes that authenticate themselves (TAXII): the same buckets as GraphQL requests.
  const authenticateLimited: Authenticate = async (request) => {
    const principal = await authenticate(request);
    const bucket = bucketKeyOf(principal);
    if (bucket) {
      const taken = limiter.take(bucket.key, bucket.peer ? limits.peerRate : limits.rate);
      if (!taken.ok) {
        metrics.refused('rate_limited');
        throw new RateLimitedError(taken.retryAfterSeconds);
      }
    }
    return principal;
  };
  return {
    issuer,
    verifier,
    authenticate,
    authenticateLimited,
    principalOf,
    plugins,
    routes,
    limiter,
  };
}

// Tokens for tests: mint an access token of any role from a running node's issuer (in-process), or
// from a node's issuer key file (for nodes running as separate processes), and call GraphQL with it.
import type { Config } from '../../src/config.js';
import type { Role } from '../../src/auth/matrix.js';
import {
  createTokenIssuer,
  loadOrCreateIssuerKey,
  type AccessTokenIssuer,
} from '../../src/federation/access-tokens.js';
import type { RunningNode } from '../../src/main.js';

export const ALL_ROLES: readonly Role[] = ['admin', 'analyst', 'viewer', 'partner', 'association'];

/** An access token for the node; partner/association tokens stand for a peer node `peer-<role>`. */
export function tokenFor(
  node: Pick<RunningNode, 'tokens'> | AccessTokenIssuer,
  role: Role = 'admin',
  options: { subject?: string; ttlSeconds?: number } = {},
): Promise<string> {
  const issuer = 'tokens' in node ? node.tokens : node;
  const peer = role === 'partner' || role === 'association';
  return issuer.issue({
    role,
    subject: options.subject ?? `test-${role}`,
    ttlSeconds: options.ttlSeconds ?? 3600,
    ...(peer && { peerId: `peer-${role}` }),
  });
}

/** The issuer of a node started in another process with this config (same key file, same claims). */
export async function issuerFromConfig(config: Config): Promise<AccessTokenIssuer> {
  return createTokenIssuer(await loadOrCreateIssuerKey(config.auth.issuerKeyFile), {
    issuer: config.auth.issuer,
    audience: config.auth.audience,
    maxTtlSeconds: config.auth.maxTokenTtlSeconds,
  });
}

export interface GqlResult {
  status: number;
  headers: Headers;
  body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
}

/** POSTs a GraphQL request in process (node.yoga.fetch) as the given role (or with no token: null). */
export async function gqlAs(
  node: RunningNode,
  role: Role | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GqlResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (role !== null) headers['authorization'] = `Bearer ${await tokenFor(node, role)}`;
  const res = await node.yoga.fetch('http://palisade.test/graphql', {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as GqlResult['body'],
  };
}

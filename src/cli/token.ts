// `palisade token create`: mints an access token with the node's issuer key (creating the key file,
// 0600, on first use), so that every replica sharing that key accepts it.
import type { Config } from '../config.js';
import {
  createTokenIssuer,
  loadOrCreateIssuerKey,
  TOKEN_ROLES,
  type TokenRole,
} from '../federation/access-tokens.js';

export class TokenOptionError extends Error {
  override name = 'TokenOptionError';
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** '90s', '30m', '8h', '7d' (or plain seconds) → seconds. */
export function parseTtl(text: string): number {
  const m = /^(\d{1,7})([smhd]?)$/.exec(text.trim());
  if (!m) throw new TokenOptionError(`--ttl must look like 30m, 8h or 7d (got ${text})`);
  const seconds = Number(m[1]) * UNITS[m[2] || 's']!;
  if (seconds < 1) throw new TokenOptionError('--ttl must be at least 1s');
  return seconds;
}

export async function createToken(
  config: Config,
  input: { role: string; ttlSeconds: number; subject: string; peerId?: string },
): Promise<string> {
  if (!(TOKEN_ROLES as readonly string[]).includes(input.role)) {
    throw new TokenOptionError(`--role must be one of ${TOKEN_ROLES.join(', ')}`);
  }
  const issuer = await createTokenIssuer(await loadOrCreateIssuerKey(config.auth.issuerKeyFile), {
    issuer: config.auth.issuer,
    audience: config.auth.audience,
    maxTtlSeconds: config.auth.maxTokenTtlSeconds,
  });
  try {
    return await issuer.issue({
      role: input.role as TokenRole,
      subject: input.subject,
      ttlSeconds: input.ttlSeconds,
      ...(input.peerId !== undefined && { peerId: input.peerId }),
    });
  } catch (e) {
    if (e instanceof RangeError) throw new TokenOptionError(`--${e.message}`);
    throw e;
  }
}

// The analyst's session: the access token in sessionStorage (gone when the tab closes).
const KEY = 'palisade.token';
/** The pseudo-token of a node running with PALISADE_DEV_AUTH=off (no Authorization header). */
export const DEV_SESSION = 'dev:no-token';

export interface Session {
  token: string;
}

export function loadSession(storage: Storage = sessionStorage): Session | null {
  const token = storage.getItem(KEY);
  return token ? { token } : null;
}

export function saveSession(token: string, storage: Storage = sessionStorage): Session {
  storage.setItem(KEY, token);
  return { token };
}

export function clearSession(storage: Storage = sessionStorage): void {
  storage.removeItem(KEY);
}

/** Accepts a pasted token with or without a "Bearer " prefix and surrounding whitespace. */
export function cleanToken(input: string): string {
  return input
    .trim()
    .replace(/^bearer\s+/i, '')
    .trim();
}

/** The claims of a JWT, read without verifying (the server verifies; this only labels the UI). */
export function tokenClaims(token: string): { sub?: string; role?: string; exp?: number } {
  const payload = token.split('.')[1];
  if (!payload) return {};
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims: unknown = JSON.parse(json);
    if (typeof claims !== 'object' || claims === null) return {};
    const c = claims as Record<string, unknown>;
    return {
      ...(typeof c['sub'] === 'string' && { sub: c['sub'] }),
      ...(typeof c['role'] === 'string' && { role: c['role'] }),
      ...(typeof c['exp'] === 'number' && { exp: c['exp'] }),
    };
  } catch {
    return {};
  }
}

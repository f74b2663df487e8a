// The public documents peers read: the JWKS (current keys and those in rotation overlap), the
// signed node description, and the latest key rotation statement.
import { readFile } from 'node:fs/promises';
import type { Config } from '../config.js';
import { json, type Route } from '../server/routes.js';
import type { KeyRing } from './key-ring.js';
import { endpointsFor, signNodeDocument } from './node-document.js';

/** Where `palisade keys rotate` leaves the statement that /.well-known/palisade-key-rotation serves. */
export const rotationStatementPath = (keyFile: string): string => `${keyFile}.rotation.json`;

export function wellKnownRoutes(config: Config, keys: KeyRing): Route[] {
  const cache = { 'cache-control': 'public, max-age=60' };
  return [
    {
      method: 'GET',
      path: '/.well-known/jwks.json',
      handle: async () => json(await keys.jwks(), 200, cache),
    },
    {
      method: 'GET',
      path: '/.well-known/palisade-node',
      handle: async () => {
        const jws = await signNodeDocument(
          {
            id: config.node.id,
            name: config.node.name,
            role: config.node.role,
            endpoints: endpointsFor(config.http.publicUrl),
            issuedAt: Math.floor(Date.now() / 1000),
          },
          await keys.jwks(),
          await keys.signingKey(),
        );
        return new Response(jws, { status: 200, headers: { 'content-type': 'application/jwt' } });
      },
    },
    {
      method: 'GET',
      path: '/.well-known/palisade-key-rotation',
      handle: async () => {
        try {
          const text = await readFile(rotationStatementPath(config.federation.keyFile), 'utf8');
          return new Response(text, {
            status: 200,
            headers: { 'content-type': 'application/json; charset=utf-8', ...cache },
          });
        } catch {
          return json({ error: 'no key rotation has been published' }, 404);
        }
      },
    },
  ];
}

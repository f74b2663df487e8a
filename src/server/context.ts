// What every resolver receives for one request.
import type { Logger } from './logger.js';

/** Who is calling; filled by the auth layer (anonymous until it exists for the request). */
export interface Principal {
  subject: string;
  role: 'admin' | 'analyst' | 'viewer' | 'partner' | 'association' | 'anonymous';
  /** For peers: the peer node id. */
  peerId?: string;
  /** Which trust anchor vouched for the caller: the node's issuer, an OIDC issuer, a peer key, dev mode. */
  via?: 'local' | 'oidc' | 'peer' | 'dev';
}

export interface GraphQLContext {
  logger: Logger;
  principal: Principal;
  requestId: string;
}

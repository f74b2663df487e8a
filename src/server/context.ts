// What every resolver receives for one request.
import type { Logger } from './logger.js';

/** Who is calling; filled by the auth layer (anonymous until it exists for the request). */
export interface Principal {
  subject: string;
  role: 'admin' | 'analyst' | 'viewer' | 'partner' | 'association' | 'anonymous';
  /** For peers: the peer node id. */
  peerId?: string;
}

export interface GraphQLContext {
  logger: Logger;
  principal: Principal;
  requestId: string;
}

// POST /federation/inbox: opens an envelope inside one write transaction that also records the
// receipt (keyed by jti), runs the message type's handler and appends the audit entry, then answers
// with a signed acknowledgement. A re-delivered jti is refused as REPLAY but carries the original
// acknowledgement, so the sender can stop retrying; nothing is applied twice.
import type { Database } from '../db/database.js';
import type { Logger } from '../server/logger.js';
import { json, type Route } from '../server/routes.js';
import type { AuditLog } from './audit-log.js';
import {
  EnvelopeRefusedError,
  openEnvelope,
  signAcknowledgement,
  TooLargeError,
  type RefusalReason,
  type SenderRecord,
} from './envelope.js';
import type { KeyRing } from './key-ring.js';
import { PayloadRejectedError, type MessageHandlers } from './message-handlers.js';
import { currentSigningKeys, type PeerStore } from './peer-store.js';
import { receiptGuard } from './replay-store.js';

export interface InboxOptions {
  db: Database;
  peers: PeerStore;
  audit: AuditLog;
  keys: KeyRing;
  handlers: MessageHandlers;
  selfId: string;
  maxBytes: number;
  maxClockSkewSeconds: number;
  maxTtlSeconds: number;
  receiptRetentionSeconds: number;
  logger: Logger;
  now?: () => Date;
  /** Told about every refusal (metrics). */
  onRefused?: (reason: string) => void;
}

const STATUS: Record<RefusalReason, number> = {
  TOO_LARGE: 413,
  MALFORMED: 400,
  DECRYPT_FAILED: 400,
  UNKNOWN_SENDER: 401,
  SENDER_SUSPENDED: 403,
  SENDER_REVOKED: 403,
  BAD_SIGNATURE: 401,
  UNKNOWN_KEY: 401,
  WRONG_AUDIENCE: 403,
  EXPIRED: 401,
  NOT_YET_VALID: 401,
  TTL_TOO_LONG: 400,
  MESSAGE_TYPE_NOT_ALLOWED: 403,
  REPLAY: 409,
};

/** Reads at most maxBytes of the body; null when it is longer. */
async function readBounded(request: Request, maxBytes: number): Promise<string | null> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return null;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('latin1');
}

export function inboxRoute(o: InboxOptions): Route {
  const now = o.now ?? (() => new Date());

  const refuse = async (e: EnvelopeRefusedError): Promise<Response> => {
    o.onRefused?.(e.reason);
    let ack: string | null = null;
    if (e.reason === 'REPLAY' && e.jti !== undefined && e.senderId !== undefined) {
      const [r] = await o.db.read('federation/receipt-get', { jti: e.jti });
      if (r && r['sender'] === e.senderId && typeof r['ack'] === 'string') ack = r['ack'];
    }
    await o.audit.record({
      kind: 'refused',
      peer: e.senderId ?? null,
      messageType: e.messageType ?? null,
      jti: e.jti ?? null,
      reason: e.reason,
      detail: ack ? { duplicateOfAcknowledged: true } : {},
    });
    o.logger.info({ reason: e.reason, peer: e.senderId }, 'federation envelope refused');
    return json({ error: 'refused', reason: e.reason, ...(ack && { ack }) }, STATUS[e.reason]);
  };

  return {
    method: 'POST',
    path: '/federation/inbox',
    async handle(request) {
      const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/jose') {
        return json({ error: 'unsupported media type: send application/jose' }, 415);
      }
      const body = await readBounded(request, o.maxBytes);
      if (body === null) return refuse(new TooLargeError('envelope over the size limit'));
      try {
        const ack = await o.db.writeTransaction(async (tx) => {
          const opened = await openEnvelope(body, {
            selfId: o.selfId,
            decryptionKeys: await o.keys.decryptionKeys(),
            // Read in this transaction, for this message: a revocation acts on the next one.
            lookupSender: async (iss): Promise<SenderRecord | null> => {
              const peer = await o.peers.get(iss, tx);
              return peer
                ? {
                    status: peer.status,
                    role: peer.role,
                    signingKeys: currentSigningKeys(peer, now()),
                  }
                : null;
            },
            allowedMessageTypes: (role) => o.handlers.allowedFor(role),
            maxBytes: o.maxBytes,
            maxClockSkewSeconds: o.maxClockSkewSeconds,
            maxTtlSeconds: o.maxTtlSeconds,
            now,
            replayGuard: receiptGuard(tx, o.receiptRetentionSeconds, now),
          });
          const handler = o.handlers.get(opened.messageType);
          if (!handler) throw new Error(`no handler for ${opened.messageType}`);
          await handler.handle(tx, {
            senderId: opened.senderId,
            senderRole: opened.sender.role as 'partner' | 'association',
            messageType: opened.messageType,
            payload: opened.payload,
            jti: opened.jti,
            issuedAt: opened.issuedAt,
          });
          const receivedAt = now();
          const token = await signAcknowledgement(opened.jti, {
            signerId: o.selfId,
            signingKey: await o.keys.signingKey(),
            recipientId: opened.senderId,
            status: 'accepted',
            receivedAt,
            now: receivedAt,
          });
          await tx.run('federation/receipt-set-ack', {
            jti: opened.jti,
            sender: opened.senderId,
            messageType: opened.messageType,
            ack: token,
          });
          await o.audit.append(tx, {
            kind: 'received',
            peer: opened.senderId,
            messageType: opened.messageType,
            jti: opened.jti,
            detail: { signingKid: opened.signingKid },
          });
          return token;
        });
        return json({ status: 'accepted', ack }, 200);
      } catch (e) {
        if (e instanceof EnvelopeRefusedError) return refuse(e);
        if (e instanceof PayloadRejectedError) {
          o.onRefused?.(e.reason);
          await o.audit.record({
            kind: 'refused',
            peer: null,
            messageType: null,
            jti: null,
            reason: e.reason,
          });
          return json({ error: 'refused', reason: e.reason }, 422);
        }
        o.logger.error({ err: e }, 'inbox failed');
        return json({ error: 'internal error; retry later' }, 503);
      }
    },
  };
}

// Which message types this node accepts, from which peer roles, and what each does: domains
// register a handler at composition time (main.ts); the inbox runs it inside the receipt's
// transaction, so its effect happens exactly once per jti.
import type { Tx } from '../db/database.js';
import type { PeerRole } from './peer-store.js';

export interface InboundMessage {
  senderId: string;
  senderRole: PeerRole;
  messageType: string;
  /** Decrypted and signature-checked, but not validated: the handler parses it. */
  payload: unknown;
  jti: string;
  /** Epoch seconds. */
  issuedAt: number;
}

export interface MessageHandler {
  /** The sender roles allowed to send this type; others are refused MESSAGE_TYPE_NOT_ALLOWED. */
  from: readonly PeerRole[];
  /**
   * Applies the message inside the inbox transaction. It may be retried whole by the driver on a
   * transient error, so write with MERGE. Throw PayloadRejectedError for a payload it refuses.
   */
  handle(tx: Tx, message: InboundMessage): Promise<void>;
}

/** A payload the handler refuses (wrong shape): answered 422, audited, never retried as-is. */
export class PayloadRejectedError extends Error {
  readonly reason = 'PAYLOAD_REJECTED';
  constructor(message: string) {
    super(message);
    this.name = 'PayloadRejectedError';
  }
}

const TYPE_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

export class MessageHandlers {
  readonly #handlers = new Map<string, MessageHandler>();

  /** Registers a handler for a dotted message type such as `palisade.indicators.bundle`. */
  register(messageType: string, handler: MessageHandler): this {
    if (!TYPE_NAME.test(messageType) || messageType.length > 128) {
      throw new TypeError(`message type ${messageType} must be dotted lowercase words`);
    }
    if (this.#handlers.has(messageType)) {
      throw new Error(`message type ${messageType} registered twice`);
    }
    this.#handlers.set(messageType, handler);
    return this;
  }

  get(messageType: string): MessageHandler | undefined {
    return this.#handlers.get(messageType);
  }

  /** The types a sender of this role may send (what openEnvelope checks). */
  allowedFor(role: string): ReadonlySet<string> {
    const allowed = new Set<string>();
    for (const [type, h] of this.#handlers) {
      if ((h.from as readonly string[]).includes(role)) allowed.add(type);
    }
    return allowed;
  }

  types(): string[] {
    return [...this.#handlers.keys()].sort();
  }
}

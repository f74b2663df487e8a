// Why an envelope, request token or receipt was refused: one class per reason, each with a stable
// code the audit log records. Messages are fixed texts: no key material, no payload content.

export const REFUSAL_REASONS = [
  'TOO_LARGE',
  'MALFORMED',
  'DECRYPT_FAILED',
  'UNKNOWN_SENDER',
  'SENDER_SUSPENDED',
  'SENDER_REVOKED',
  'BAD_SIGNATURE',
  'UNKNOWN_KEY',
  'WRONG_AUDIENCE',
  'EXPIRED',
  'NOT_YET_VALID',
  'TTL_TOO_LONG',
  'MESSAGE_TYPE_NOT_ALLOWED',
  'REPLAY',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/**
 * What is known, and safe to audit, when the refusal happens. `senderId` is set only once the
 * sender is found in the registry, `jti` and `messageType` only once the signature has verified:
 * before that they are whatever an attacker wrote.
 */
export interface RefusalContext {
  senderId?: string;
  jti?: string;
  messageType?: string;
}

export abstract class EnvelopeRefusedError extends Error {
  abstract readonly reason: RefusalReason;
  readonly senderId: string | undefined;
  readonly jti: string | undefined;
  readonly messageType: string | undefined;

  constructor(message: string, context: RefusalContext = {}) {
    super(message);
    this.name = new.target.name;
    this.senderId = context.senderId;
    this.jti = context.jti;
    this.messageType = context.messageType;
  }
}

export class TooLargeError extends EnvelopeRefusedError {
  readonly reason = 'TOO_LARGE';
}
export class MalformedError extends EnvelopeRefusedError {
  readonly reason = 'MALFORMED';
}
export class DecryptFailedError extends EnvelopeRefusedError {
  readonly reason = 'DECRYPT_FAILED';
}
export class UnknownSenderError extends EnvelopeRefusedError {
  readonly reason = 'UNKNOWN_SENDER';
}
export class SenderSuspendedError extends EnvelopeRefusedError {
  readonly reason = 'SENDER_SUSPENDED';
}
export class SenderRevokedError extends EnvelopeRefusedError {
  readonly reason = 'SENDER_REVOKED';
}
export class BadSignatureError extends EnvelopeRefusedError {
  readonly reason = 'BAD_SIGNATURE';
}
export class UnknownKeyError extends EnvelopeRefusedError {
  readonly reason = 'UNKNOWN_KEY';
}
export class WrongAudienceError extends EnvelopeRefusedError {
  readonly reason = 'WRONG_AUDIENCE';
}
export class ExpiredError extends EnvelopeRefusedError {
  readonly reason = 'EXPIRED';
}
export class NotYetValidError extends EnvelopeRefusedError {
  readonly reason = 'NOT_YET_VALID';
}
export class TtlTooLongError extends EnvelopeRefusedError {
  readonly reason = 'TTL_TOO_LONG';
}
export class MessageTypeNotAllowedError extends EnvelopeRefusedError {
  readonly reason = 'MESSAGE_TYPE_NOT_ALLOWED';
}
export class ReplayError extends EnvelopeRefusedError {
  readonly reason = 'REPLAY';
}

// The one entry point the rest of Palisade uses: an identifier of any kind → its normalized form.
import { normalizeAddress } from './address.js';
import { normalizeDomain, normalizeUrl } from './domain.js';
import { normalizeEmail } from './email.js';
import { normalizeMessagingHandle } from './messaging-handle.js';
import { normalizePaymentAccount } from './payment-account.js';
import { normalizePhone } from './phone.js';
import type { IdentifierInput, NormalizedIdentifier } from './types.js';
import { normalizeWaybill } from './waybill.js';

export { coarsenAddressToCity, normalizeAddress } from './address.js';
export { isTrackingParam, normalizeDomain, normalizeUrl } from './domain.js';
export { normalizeEmail } from './email.js';
export {
  MESSAGING_PLATFORMS,
  normalizeMessagingHandle,
  resolveMessagingPlatform,
} from './messaging-handle.js';
export type { MessagingHandleOptions, MessagingPlatform } from './messaging-handle.js';
export {
  normalizePaymentAccount,
  PAYMENT_PROVIDERS,
  resolvePaymentProvider,
} from './payment-account.js';
export type { PaymentAccountOptions, PaymentProvider } from './payment-account.js';
export { normalizePhone } from './phone.js';
export type { PhoneOptions } from './phone.js';
export { MAX_INPUT_LENGTH } from './text.js';
export { IDENTIFIER_KINDS, isIdentifierKind } from './types.js';
export type {
  IdentifierInput,
  IdentifierKind,
  NormalizedFailure,
  NormalizedIdentifier,
  NormalizedOk,
} from './types.js';
export { normalizeWaybill, resolveCarrier } from './waybill.js';
export type { WaybillOptions } from './waybill.js';

/**
 * Normalizes one identifier. Bad values come back as `{ ok: false, reason }`, never as an
 * exception; only a `kind` outside IDENTIFIER_KINDS throws (a caller bug: check untrusted kinds
 * with `isIdentifierKind` first).
 */
export function normalizeIdentifier(input: IdentifierInput): NormalizedIdentifier {
  const { value, region, provider } = input;
  switch (input.kind) {
    case 'phone':
      return normalizePhone(value, { region });
    case 'email':
      return normalizeEmail(value);
    case 'address':
      return normalizeAddress(value);
    case 'paymentAccount':
      return normalizePaymentAccount(value, { provider, region });
    case 'domain':
      return normalizeDomain(value);
    case 'url':
      return normalizeUrl(value);
    case 'messagingHandle':
      return normalizeMessagingHandle(value, { provider, region });
    case 'waybill':
      return normalizeWaybill(value, { provider });
    default: {
      const unknownKind: never = input.kind;
      throw new TypeError(`unknown identifier kind: ${String(unknownKind)}`);
    }
  }
}

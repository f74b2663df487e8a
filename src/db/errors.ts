// The one place where Neo4j driver errors become the node's typed errors.
import { Neo4jError, isRetriableError } from 'neo4j-driver';
import { AppError, ConflictError, UnavailableError } from '../server/errors.js';

const UNAVAILABLE_CODES = new Set([
  'ServiceUnavailable',
  'SessionExpired',
  'Neo.TransientError.General.DatabaseUnavailable',
  'Neo.ClientError.Database.DatabaseNotFound',
]);

/** True when the database cannot be reached at all (as opposed to a bad statement). */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Neo4jError)) {
    return error instanceof Error && /ECONNREFUSED|ECONNRESET|connect/i.test(error.message);
  }
  return UNAVAILABLE_CODES.has(error.code);
}

/**
 * The server ended the transaction itself: it is shutting down, or an administrator terminated
 * it. Neo4j files these under ClientError, yet the statement was fine and the server says to retry
 * in a new transaction.
 */
const TERMINATED_CODES = new Set([
  'Neo.ClientError.Transaction.Terminated',
  'Neo.ClientError.Transaction.LockClientStopped',
]);

/**
 * A failure of one transaction that is not the caller's fault (a deadlock or a lock wait cut short
 * that outlived the driver's retries, a transaction the server terminated): the caller should try
 * again later, but this alone must not mark the database down for every other request.
 */
export function isTransientFailure(error: unknown): boolean {
  return (
    error instanceof Neo4jError &&
    (error.code.startsWith('Neo.TransientError') || TERMINATED_CODES.has(error.code))
  );
}

/**
 * The pool had no connection to give within connectionAcquisitionTimeout: the server is gone (new
 * connections hang) or overloaded. Either way the client should retry later, not see a bug; it does
 * not by itself mark the server down (the health loop decides that).
 */
export function isPoolExhausted(error: unknown): boolean {
  return error instanceof Error && /Connection acquisition timed out/i.test(error.message);
}

export function isTransient(error: unknown): boolean {
  return isRetriableError(error) || isUnavailable(error);
}

/** Translates a driver error; errors that are already typed pass through unchanged. */
export function translateDatabaseError(error: unknown): Error {
  if (error instanceof AppError) return error;
  if (isUnavailable(error) || isPoolExhausted(error) || isTransientFailure(error))
    return new UnavailableError();
  if (
    error instanceof Neo4jError &&
    error.code === 'Neo.ClientError.Schema.ConstraintValidationFailed'
  ) {
    return new ConflictError('The change conflicts with a record that already exists');
  }
  return error instanceof Error ? error : new Error(String(error));
}

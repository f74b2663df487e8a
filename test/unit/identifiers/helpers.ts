// Small assertions shared by the identifier tests: unwrap a result or fail with its reason.
import { expect } from 'vitest';
import type {
  NormalizedFailure,
  NormalizedIdentifier,
  NormalizedOk,
} from '../../../src/identifiers/index.js';

export function accepted(result: NormalizedIdentifier): NormalizedOk {
  if (!result.ok) expect.fail(`expected acceptance, got: ${result.reason}`);
  return result;
}

export function refused(result: NormalizedIdentifier): NormalizedFailure {
  if (result.ok) expect.fail(`expected refusal, got key ${result.key}`);
  return result;
}

// Runs the OASIS stix2-validator (PyPI) on a bundle: `available` says whether the module is installed.
import { spawnSync } from 'node:child_process';

export const stixValidatorAvailable =
  spawnSync('python3', ['-c', 'import stix2validator'], { stdio: 'ignore' }).status === 0;

export interface StixValidation {
  valid: boolean;
  errors: string[];
  warnings: string[];
}

const SCRIPT = `
import json, sys
from stix2validator import validate_string, ValidationOptions
r = validate_string(sys.stdin.read(), ValidationOptions(version='2.1'))
errors, warnings = [], []
def walk(res):
    for o in getattr(res, 'object_results', None) or [res]:
        errors.extend('%s: %s' % (getattr(o, 'object_id', '?'), e.message if hasattr(e, 'message') else str(e)) for e in (o.errors or []))
        warnings.extend('%s: %s' % (getattr(o, 'object_id', '?'), str(w)) for w in (o.warnings or []))
walk(r)
print(json.dumps({'valid': bool(r.is_valid), 'errors': errors, 'warnings': warnings}))
`;

/** Validates a bundle (STIX 2.1, default options: custom `x-` content allowed). */
export function validateStix(bundle: unknown): StixValidation {
  const out = spawnSync('python3', ['-c', SCRIPT], {
    input: JSON.stringify(bundle),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (out.status !== 0) throw new Error(`stix2-validator failed to run: ${out.stderr}`);
  return JSON.parse(out.stdout) as StixValidation;
}

// The one pino logger factory; redacts anything that looks like a secret or an identifier field.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { service: 'palisade', ...bindings },
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'authorization',
        '*.authorization',
        'headers.authorization',
        'privateKey',
        '*.privateKey',
        'd',
        '*.d',
        'value',
        '*.value',
        'raw',
        '*.raw',
      ],
      censor: '[redacted]',
    },
  });
}

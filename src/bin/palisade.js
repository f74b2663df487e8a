#!/usr/bin/env node
// The `palisade` command: runs the TypeScript CLI through tsx (no build step needed).
import { register } from 'tsx/esm/api';

register();
// The bulk-data commands load only what they need (see src/cli/data-commands.ts).
const lean = ['import', 'generate'].includes(process.argv[2] ?? '');
await import(lean ? '../cli/data-commands.ts' : '../cli.ts');

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Loads `.services/env` (written by scripts/services/up.sh) so a plain `npx jest` run finds the
 * services the test command started. Variables already set win.
 */
export function loadServicesEnv(): void {
  const file = path.resolve(__dirname, '../../.services/env');
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match && process.env[match[1]] === undefined) process.env[match[1]] = match[2];
  }
}

loadServicesEnv();
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';

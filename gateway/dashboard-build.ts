import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../kernel/logger';

const REPO_ROOT = path.resolve(__dirname, '..');
const VITE_CONFIG = path.join(REPO_ROOT, 'web', 'vite.config.ts');

/**
 * `npm start` on a fresh checkout: builds the dashboard into `dir` when it has no index.html yet
 * (a minute at most; later starts reuse it, `npm run web:build` rebuilds it). Nothing to do when
 * it is built, or when the sources are not here (a production image ships the built files).
 */
export async function ensureDashboardBuilt(dir: string, logger: Logger): Promise<void> {
  if (existsSync(path.join(dir, 'index.html')) || !existsSync(VITE_CONFIG)) return;
  logger.info(`building the dashboard into ${dir} (first start only)`);
  const vite = require.resolve('vite/bin/vite.js', { paths: [REPO_ROOT] });
  const outDir = path.resolve(dir);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', VITE_CONFIG, '--outDir', outDir, '--logLevel', 'warn'], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`Building the dashboard failed (vite exited with ${code}).`))));
  });
}

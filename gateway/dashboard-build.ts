import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../kernel/logger';

const REPO_ROOT = path.resolve(__dirname, '..');
const WEB_ROOT = path.join(REPO_ROOT, 'web');
const VITE_CONFIG = path.join(WEB_ROOT, 'vite.config.mts');

/** The newest modification time among the dashboard's sources (web/ without its build output). */
function newestSourceTime(directory: string, outDir: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const location = path.join(directory, entry.name);
    if (location === outDir || entry.name === 'node_modules') continue;
    const time = entry.isDirectory() ? newestSourceTime(location, outDir) : statSync(location).mtimeMs;
    if (time > newest) newest = time;
  }
  return newest;
}

/**
 * `npm start`: builds the dashboard into `dir` when it is missing or older than its sources (a
 * minute at most; `npm run web:build` rebuilds it by hand). Nothing to do when the sources are not
 * here (a production image ships the built files).
 */
export async function ensureDashboardBuilt(dir: string, logger: Logger): Promise<void> {
  if (!existsSync(VITE_CONFIG)) return;
  const outDir = path.resolve(dir);
  const index = path.join(outDir, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestSourceTime(WEB_ROOT, outDir)) return;
  logger.info(`building the dashboard into ${dir}`);
  const vitePackage = require.resolve('vite/package.json', { paths: [REPO_ROOT] });
  const vite = path.join(path.dirname(vitePackage), (require(vitePackage) as { bin: { vite: string } }).bin.vite);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', VITE_CONFIG, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`Building the dashboard failed (vite exited with ${code}).`))));
  });
}

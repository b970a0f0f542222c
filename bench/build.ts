import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Compiles a checkout as its Dockerfile does (`npm run build`: tsc to `dist/`, the SDL and JSON
 * files beside the compiled code), so that the bench runs our gateway and subgraphs as production
 * runs them, `node dist/...`, not through tsx's on-the-fly transform (which adds a `__name` call
 * to every function it creates, hooks every runtime `require`, and keeps the transformed sources
 * in memory). Returns the checkout's `dist` folder.
 */
export async function buildCheckout(dir: string): Promise<string> {
  try {
    await run('npm', ['run', '--silent', 'build'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm run build failed in ${dir}:\n${stdout}${stderr}`);
  }
  const dist = path.join(dir, 'dist');
  if (!existsSync(path.join(dist, 'gateway', 'main.js'))) throw new Error(`npm run build in ${dir} left no dist/gateway/main.js`);
  return dist;
}

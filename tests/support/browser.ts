import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

const ROOT = path.resolve(__dirname, '../..');

/** Debian's Chromium, as scripts/services/chromium.sh installs it (playwright-core brings no browser). */
export const CHROMIUM = '/usr/bin/chromium';

/** Flags for a quiet, offline, throw-away Chromium in a container. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches Chromium with a fresh profile (no stored state between runs), installing it first when
 * it is missing (`npm test` does that already; this covers running jest directly).
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const executablePath = execFileSync('bash', [path.join(ROOT, 'scripts/services/chromium.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!;
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath, headless: true, args: CHROMIUM_ARGS });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

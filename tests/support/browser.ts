import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '../..');

/** Flags for a quiet, offline, throw-away Chromium in a container (without them Chromium keeps trying Google's hosts). */
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

/**
 * Debian's Chromium, as scripts/services/chromium.sh installs it (playwright-core brings no
 * browser); installs it first when missing (`npm test` does that already; this covers running jest
 * directly).
 */
export function chromiumExecutable(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return execFileSync('bash', [path.join(ROOT, 'scripts/services/chromium.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!;
}

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** One browser context with a fresh profile directory (no stored state between runs). */
export async function launchBrowser(): Promise<TestBrowser> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumExecutable(),
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/** A browser for several isolated contexts (each `newContext()` starts empty; Playwright removes its profile on close). */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), headless: true, args: CHROMIUM_ARGS });
  return { browser, close: () => browser.close() };
}

/** GraphQL requests over HTTP the page sends, by operation name (subscriptions go over the socket). */
export function recordGraphQL(page: Page): string[] {
  const operations: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname !== '/graphql' || request.method() !== 'POST') return;
    operations.push((request.postDataJSON() as { operationName?: string }).operationName ?? '<anonymous>');
  });
  return operations;
}

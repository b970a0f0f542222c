import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, installed by scripts/test.sh (no downloaded browser). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Headless Chromium with no background networking (this machine's network is closed: without these
 * flags Chromium keeps trying Google's hosts). Playwright gives every launch a fresh, empty profile
 * directory of its own (it refuses `--user-data-dir` here) and removes it on close.
 */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

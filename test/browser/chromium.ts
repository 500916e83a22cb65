/**
 * Real Chromium for the browser tests: Debian's `chromium` driven by playwright-core (no browser download). `.ci/run`
 * installs the package when it is missing; outside CI a machine without it skips the browser suites, saying why.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = process.env.CARTSTREAM_CHROMIUM ?? '/usr/bin/chromium';

/** Why Chromium cannot be used here, or null when it can. */
export function chromiumUnavailableReason(): string | null {
  return existsSync(chromiumPath) ? null : `no Chromium at ${chromiumPath} (apt-get install chromium, or set CARTSTREAM_CHROMIUM)`;
}

/** Skip outside CI when Chromium is missing, saying why; under CI=true run anyway so the suite fails loudly. */
export function skipWithoutChromium(suite: string): boolean {
  const reason = chromiumUnavailableReason();
  if (reason === null || process.env.CI === 'true') return false;
  console.warn(`skipping ${suite}: ${reason}`);
  return true;
}

/**
 * Headless Chromium that makes no connection of its own: this machine's network is closed, and background
 * networking would only produce refused connections and slow starts.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    ],
  });
}

import { createServer } from 'node:http';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { launchChromium, skipWithoutChromium } from './chromium.ts';

describe.skipIf(skipWithoutChromium('the Chromium smoke test'))('Chromium', () => {
  it('starts headless and renders a page served on loopback', async () => {
    const server = createServer((_, res) => res.end('<title>ok</title><p id="x">cartstream</p>')).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const { port } = server.address() as { port: number };
      await page.goto(`http://127.0.0.1:${port}/`);
      expect(await page.textContent('#x')).toBe('cartstream');
    } finally {
      await browser.close();
      server.close();
    }
  });
});

#!/usr/bin/env -S node --max-old-space-size=192 --max-semi-space-size=8
// The `cartstream` command. Node 24 runs the TypeScript sources directly (type stripping), so there is no build
// step; the heap flags above keep memory bounded under load (the processing thread has its own limits). When an
// older Node starts this file (e.g. the system's), re-run it with the Node 24 that `npm ci` pinned.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major >= 24) {
  await import('../src/cli/main.ts');
} else {
  const pinned = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(pinned)) {
    console.error(`cartstream needs Node 24 (this is ${process.version}); run \`npm ci\` first to install it.`);
    process.exit(1);
  }
  const flags = ['--max-old-space-size=192', '--max-semi-space-size=8'];
  const child = spawn(pinned, [...flags, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  // Pass stop signals on, so stopping this process stops cartstream (and its graceful shutdown) rather than orphaning it.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 1)));
}

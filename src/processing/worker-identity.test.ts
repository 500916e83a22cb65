import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { mayBeAlive, workerId } from './worker-identity.ts';

describe('worker identity', () => {
  const self = workerId(1_000);

  it('treats a lease of a process that has exited as abandoned', () => {
    const exited = spawnSync(process.execPath, ['-e', '0']).pid;
    expect(mayBeAlive(`${hostname()}:${exited}:5`, self)).toBe(false);
  });

  it('treats an earlier run of this very process id (a restarted container) as abandoned', () => {
    expect(mayBeAlive(`${hostname()}:${process.pid}:1`, self)).toBe(false);
  });

  it('keeps leases of live processes, of itself, and of other hosts it cannot check', () => {
    expect(mayBeAlive(self, self)).toBe(true);
    expect(mayBeAlive(`${hostname()}:${process.ppid}:7`, self)).toBe(true);
    expect(mayBeAlive('another-host:1:7', self)).toBe(true);
  });
});

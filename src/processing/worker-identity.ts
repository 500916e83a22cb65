import { hostname } from 'node:os';

/** Names this process in row leases: host, pid and start time (so a reused pid is never mistaken for us). */
export function workerId(startedAt: number = Date.now()): string {
  return `${hostname()}:${process.pid}:${startedAt}`;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the worker that holds a lease may still be running. Only workers on this host can be checked; any
 * other owner is assumed alive and its leases simply expire.
 */
export function mayBeAlive(owner: string, self: string = workerId()): boolean {
  if (owner === self) return true;
  const [host, pid] = owner.split(':');
  if (host !== hostname() || pid === undefined || !/^\d+$/.test(pid)) return true;
  return Number(pid) !== process.pid && processExists(Number(pid));
}

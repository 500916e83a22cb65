import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { CartstreamConfig } from '../config/config-schema.ts';
import { segmentBaseUrl } from '../destinations/segment/settings.ts';
import { fail, ok, type CheckResult } from './doctor-check.ts';

/**
 * Reachability without sending anything a destination would count or log. Why not an HTTP request:
 * - Segment answers 200 to every write key and to any well-formed batch, empty or not, so no request can verify the
 *   key; an empty batch or a HEAD/OPTIONS would print ✓ for a wrong key and prove nothing a connection does not,
 *   while a real event would be data in the merchant's workspace.
 * - TikTok's Events API has no side-effect-free call either: a test event lands in Events Manager, and how it
 *   answers an empty or invalid batch says nothing documented about the token.
 * So the doctor checks what can be checked honestly: the host resolves, a TCP connection opens and, for https,
 * the TLS handshake succeeds with a certificate valid for that host (a proxy or firewall intercepting TLS fails
 * here). Credentials are then proven by the first delivery: failed ones show in `npx cartstream status` and
 * dead-letters, and TikTok authentication errors pause the destination with the reason.
 */
export async function checkReachable(url: string, timeoutMs: number): Promise<{ ok: true; how: string } | { ok: false; reason: string }> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const port = Number(target.port || (secure ? 443 : 80));
  const host = target.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket: Socket = secure
      ? tlsConnect({ host, port, servername: host, timeout: timeoutMs })
      : netConnect({ host, port, timeout: timeoutMs });
    const done = (result: { ok: true; how: string } | { ok: false; reason: string }) => {
      socket.destroy();
      resolve(result);
    };
    socket.once(secure ? 'secureConnect' : 'connect', () => done({ ok: true, how: secure ? `TLS handshake with ${host}:${port}` : `TCP connection to ${host}:${port}` }));
    socket.once('timeout', () => done({ ok: false, reason: `no answer from ${host}:${port} within ${timeoutMs / 1000} s` }));
    socket.once('error', (error: NodeJS.ErrnoException) => done({ ok: false, reason: `cannot connect to ${host}:${port} (${error.code ?? error.message})` }));
  });
}

async function destinationCheck(name: string, url: string, envName: string, credentialNote: string, timeoutMs: number): Promise<CheckResult> {
  const reached = await checkReachable(url, timeoutMs);
  if (reached.ok) return ok(name, `${url} reachable (${reached.how}); ${credentialNote}`);
  return fail(name, `${url}: ${reached.reason}`, `check ${envName} (or the config file's endpoint) and that this machine may open outbound connections to it (firewall, proxy, DNS)`);
}

/** One line per configured destination. */
export async function checkDestinations(config: CartstreamConfig, timeoutMs = 5_000): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const { segment, tiktok } = config.destinations;
  if (segment) {
    const note = 'the write key cannot be verified by any request (Segment accepts every key): confirm events arrive in the source debugger';
    results.push(await destinationCheck('segment', segmentBaseUrl(segment), 'SEGMENT_ENDPOINT / SEGMENT_REGION', note, timeoutMs));
  }
  if (tiktok) {
    const note = 'the token is checked on the first delivery (an auth error pauses TikTok with the reason in `npx cartstream status`)';
    results.push(await destinationCheck('tiktok', tiktok.endpoint, 'TIKTOK_ENDPOINT', note, timeoutMs));
  }
  return results;
}

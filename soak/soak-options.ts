/** The soak run's knobs: a quick run (~2–3 minutes) by default, the full flash sale with `--full` / SOAK_SCALE=full. */
import { parseArgs } from 'node:util';

export interface SoakOptions {
  scale: 'quick' | 'full';
  /** Webhooks the simulator sends to the SQLite process (each delivery also re-sent until it gets a 200). */
  webhooks: number;
  /** Webhooks for the PostgreSQL phase, split over its two processes. */
  postgresWebhooks: number;
  /** Total minutes the sink is down (500s, 429s with Retry-After, hangs), in three equal stretches. */
  outageMinutes: number;
  /** SIGKILLs of the SQLite process at seeded random moments. */
  kills: number;
  /** Bursts the webhooks are sent in. */
  bursts: number;
  seed: number;
  /** Upper bound for the queue to drain after the last outage. */
  drainTimeoutMs: number;
  /** PostgreSQL URL; the phase runs in a fresh schema and is skipped (with the reason) when no server answers. */
  postgresUrl: string;
  skipPostgres: boolean;
}

const presets: Record<SoakOptions['scale'], Omit<SoakOptions, 'scale' | 'seed' | 'postgresUrl' | 'skipPostgres'>> = {
  quick: { webhooks: 10_000, postgresWebhooks: 4_000, outageMinutes: 0.75, kills: 3, bursts: 10, drainTimeoutMs: 120_000 },
  full: { webhooks: 100_000, postgresWebhooks: 20_000, outageMinutes: 5, kills: 10, bursts: 40, drainTimeoutMs: 15 * 60_000 },
};

function numberOr(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`not a non-negative number: ${value}`);
  return parsed;
}

/** Reads argv and the environment; explicit flags override the scale's preset. */
export function soakOptions(argv: string[], env: NodeJS.ProcessEnv): SoakOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      full: { type: 'boolean' }, quick: { type: 'boolean' }, webhooks: { type: 'string' }, 'pg-webhooks': { type: 'string' },
      minutes: { type: 'string' }, kills: { type: 'string' }, bursts: { type: 'string' }, seed: { type: 'string' },
      'drain-timeout': { type: 'string' }, 'no-postgres': { type: 'boolean' },
    },
  });
  const scale = values.full ? 'full' : values.quick ? 'quick' : env.SOAK_SCALE === 'full' ? 'full' : 'quick';
  const preset = presets[scale];
  return {
    scale,
    webhooks: numberOr(values.webhooks, preset.webhooks),
    postgresWebhooks: numberOr(values['pg-webhooks'], preset.postgresWebhooks),
    outageMinutes: numberOr(values.minutes, preset.outageMinutes),
    kills: numberOr(values.kills, preset.kills),
    bursts: Math.max(1, numberOr(values.bursts, preset.bursts)),
    seed: numberOr(values.seed, 7),
    drainTimeoutMs: numberOr(values['drain-timeout'], preset.drainTimeoutMs / 1000) * 1000,
    postgresUrl: env.CARTSTREAM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    skipPostgres: values['no-postgres'] === true,
  };
}

import { ConfigError, loadConfig } from '../config/load-config.ts';
import { checkDatabase } from './check-database.ts';
import { checkDestinations } from './check-destinations.ts';
import { adminApiTokenCheck, checkShops } from './check-shops.ts';
import { fail, ok, skip, type CheckResult } from './doctor-check.ts';

export interface DoctorOptions {
  env: Record<string, string | undefined>;
  configPath?: string | undefined;
  /** Called with each result as soon as it is known, so a slow check does not hide the ones before it. */
  report?: (result: CheckResult) => void;
}

/** Runs every check in order; a config that does not validate stops the rest (they would read it). */
export async function runDoctor(options: DoctorOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const add = (result: CheckResult) => {
    results.push(result);
    options.report?.(result);
  };
  let config;
  try {
    config = loadConfig(options.env, options.configPath);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    add(fail('config', error.message, 'fix the field named above in the config file, or the environment variable that sets it (see README → Configuration)'));
    add(skip('other checks', 'not run: they need a valid config'));
    return results;
  }
  add(ok('config', 'valid'));
  add(await checkDatabase(config.db));
  for (const result of await checkDestinations(config)) add(result);
  if (!Object.values(config.destinations).some(Boolean)) add(skip('destinations', 'none configured: `npm start` runs the demo (set SEGMENT_WRITE_KEY to send to Segment)'));
  for (const result of await checkShops(config)) add(result);
  add(adminApiTokenCheck(config));
  return results;
}

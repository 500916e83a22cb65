import { ConfigError } from '../config/load-config.ts';

/** Runs `load`; a configuration mistake is printed plainly (naming the field) and ends the process with 2. */
export function exitOnConfigError<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

/** Calls `shutdown` once on SIGINT/SIGTERM, then exits; a second signal exits at once. */
export function onShutdownSignal(shutdown: () => Promise<void>): void {
  let stopping = false;
  const handle = () => {
    if (stopping) process.exit(130);
    stopping = true;
    shutdown().then(() => process.exit(0), (error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}

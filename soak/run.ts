// `npm run soak`: the flash-sale reliability run of issue 7 — SQLite under SIGKILLs and a sink outage, then two
// processes on PostgreSQL with one killed. Loopback only, bounded in time; exits 1 when any invariant fails.
// Quick by default (~3 min); `--full` or SOAK_SCALE=full for 100,000 webhooks, 10 kills and 5 min of outage.
import { cpus, totalmem } from 'node:os';
import type { Finding } from './invariants.ts';
import { postgresSoak } from './postgres-soak.ts';
import { soakOptions } from './soak-options.ts';
import { sqliteSoak } from './sqlite-soak.ts';

function printTable(title: string, findings: Finding[]): void {
  const width = Math.max(...findings.map((f) => f.check.length));
  console.log(`\n${title}`);
  for (const f of findings) {
    const mark = f.ok === undefined ? '    ' : f.ok ? ' ok ' : 'FAIL';
    console.log(`  ${mark}  ${f.check.padEnd(width)}  ${f.value}`);
  }
}

const options = soakOptions(process.argv.slice(2), process.env);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.versions.node}, ${process.platform}`;
console.log(`soak (${options.scale}): ${JSON.stringify(options)}\nmachine: ${machine}`);
const failed: string[] = [];
const started = Date.now();

const sqlite = await sqliteSoak(options);
printTable('SQLite: one process, SIGKILLed at random, sink down for stretches', sqlite.findings);
if (sqlite.findings.some((f) => f.ok === false)) failed.push('sqlite');

if (options.skipPostgres) {
  console.log('\nPostgreSQL: skipped (--no-postgres)');
} else {
  const postgres = await postgresSoak(options);
  if ('skipped' in postgres) {
    console.log(`\nPostgreSQL: skipped — ${postgres.skipped}`);
  } else {
    printTable('PostgreSQL: two processes (role all), one SIGKILLed and restarted', postgres.findings);
    if (postgres.findings.some((f) => f.ok === false)) failed.push('postgres');
  }
}

console.log(`\nsoak ${failed.length === 0 ? 'passed' : `FAILED (${failed.join(', ')})`} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exitCode = failed.length === 0 ? 0 : 1;

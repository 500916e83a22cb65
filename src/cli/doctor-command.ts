import type { Command } from 'commander';
import { doctorExitCode, formatCheck } from '../doctor/doctor-check.ts';
import { runDoctor } from '../doctor/run-doctor.ts';

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check the config, database, destinations and Shopify credentials; one ✓/✗ line each (exit 1 on ✗)')
    .option('-c, --config <path>', 'config file')
    .action(async (options: { config?: string }) => {
      const results = await runDoctor({ env: process.env, configPath: options.config, report: (result) => console.log(formatCheck(result)) });
      process.exitCode = doctorExitCode(results);
    });
}

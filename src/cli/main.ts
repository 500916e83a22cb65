import { Command } from 'commander';
import { registerBackfillCommand } from './backfill-command.ts';
import { registerDoctorCommand } from './doctor-command.ts';
import { registerOperateCommands } from './operate-commands.ts';
import { registerStartCommand } from './start-command.ts';
import { registerWebhooksCommand } from './webhooks-command.ts';

const program = new Command()
  .name('cartstream')
  .description('Shopify webhooks in, Segment events out: verified, durable, deduplicated.')
  .showHelpAfterError();

registerStartCommand(program);
registerOperateCommands(program);
registerWebhooksCommand(program);
registerBackfillCommand(program);
registerDoctorCommand(program);

await program.parseAsync(process.argv);

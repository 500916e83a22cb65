import { Command } from 'commander';
import { registerOperateCommands } from './operate-commands.ts';
import { registerStartCommand } from './start-command.ts';

const program = new Command()
  .name('cartstream')
  .description('Shopify webhooks in, Segment events out: verified, durable, deduplicated.')
  .showHelpAfterError();

registerStartCommand(program);
registerOperateCommands(program);

await program.parseAsync(process.argv);

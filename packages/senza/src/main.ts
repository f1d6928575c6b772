import { type AnyCommand, type CliIo, completionCommand, runCli, type ToolSpec } from '@stups/cli-kit';
import { definitionCommands, lifecycleCommands, stacksCommands, trafficCommands } from './commands/registry.js';
import { version } from './version.js';

/** Every senza command, declared as data; each module is imported only when its command runs. */
export const COMMANDS: AnyCommand[] = [
  ...definitionCommands,
  ...lifecycleCommands,
  ...stacksCommands,
  ...trafficCommands,
  completionCommand('senza'),
  // Code-point order (the names are lower-case ASCII): localeCompare's first call loads ICU's collator, ~10 ms.
].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

export const SENZA: ToolSpec = {
  name: 'senza',
  description: 'Deploy immutable, versioned application stacks to AWS, the STUPS way.',
  versionText: `senza ${version}`,
  debugHelp: 'show stack traces on errors, the account facts and the AWS calls made',
  commands: COMMANDS,
  completions: async () => (await import('./completions.js')).completions(),
};

export function main(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  return runCli(SENZA, argv, io);
}

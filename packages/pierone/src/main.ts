import { type AnyCommand, type CliIo, completionCommand, runCli, type ToolSpec } from '@stups/cli-kit';
import { PIERONE_COMMANDS } from './commands/registry.js';
import { version } from './version.js';

export const PIERONE: ToolSpec = {
  name: 'pierone',
  description: 'Pier One: log Docker in to the registry, list teams, artifacts and tags, show SCM sources.',
  versionText: `pierone ${version}`,
  commands: [...(PIERONE_COMMANDS as AnyCommand[]), completionCommand('pierone')],
  completions: async () => (await import('./completions.js')).completions(),
};

export function main(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  return runCli(PIERONE, argv, io);
}

import { type AnyCommand, type CliIo, completionCommand, runCli, type ToolSpec } from '@stups/cli-kit';
import { ZIGN_COMMANDS } from './commands/registry.js';
import { version } from './version.js';

export type ZignName = 'zign' | 'ztoken';

export function zignTool(name: ZignName): ToolSpec {
  return {
    name,
    description: 'OAuth 2.0 access tokens for people, CI jobs and services.',
    versionText: `${name} ${version}`,
    commands: [...(ZIGN_COMMANDS as AnyCommand[]), completionCommand(name)],
    // A bare `ztoken` (or one that starts with an option such as `-n`) runs `token`, as the original's.
    ...(name === 'ztoken'
      ? { defaultCommand: { name: 'token', takes: (word) => word === undefined || word.startsWith('-') } }
      : {}),
  };
}

export function main(name: ZignName, argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  return runCli(zignTool(name), argv, io);
}

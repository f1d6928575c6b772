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
  };
}

const NOT_A_COMMAND = new Set(['-h', '--help', '-V', '--version']);

/** A bare `ztoken` (or one that starts with an option such as `-n`) runs `token`, as the original's. */
export function ztokenArgv(argv: string[]): string[] {
  const first = argv[0];
  if (first === undefined || (first.startsWith('-') && !NOT_A_COMMAND.has(first) && first !== '--debug'))
    return ['token', ...argv];
  return argv;
}

export function main(name: ZignName, argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  return runCli(zignTool(name), name === 'ztoken' ? ztokenArgv(argv) : argv, io);
}

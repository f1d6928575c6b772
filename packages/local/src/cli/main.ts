import { createRequire } from 'node:module';
import { type AnyCommand, type CliIo, completionCommand, runCli, type ToolSpec } from '@stups/cli-kit';
import { LOCAL_COMMANDS } from './local-commands.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** Every stups-local command; each module is imported only when its command runs. */
export const COMMANDS: AnyCommand[] = [...LOCAL_COMMANDS, completionCommand];

export const STUPS_LOCAL: ToolSpec = {
  name: 'stups-local',
  description: 'The STUPS platform on one machine: moto-backed AWS behind an AWS-correcting layer.',
  versionText: `stups-local ${version}`,
  commands: COMMANDS,
};

/**
 * stups-local on the CLI kit: `up` starts the platform's services as a background process and prints
 * the environment for the CLIs (`eval "$(stups-local up)"`), `down` stops it by PID. Results on stdout,
 * progress and errors on stderr, through the kit's one host and one error handler.
 */
export function main(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  return runCli(STUPS_LOCAL, argv, io);
}

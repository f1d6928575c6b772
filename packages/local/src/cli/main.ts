import { createRequire } from 'node:module';
import { type AnyCommand, type CliIo, completionCommand, runCli, type ToolSpec } from '@stups/cli-kit';
import { LOCAL_COMMANDS } from './local-commands.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** Every stups-local command; each module is imported only when its command runs. */
export const COMMANDS: AnyCommand[] = [...LOCAL_COMMANDS, completionCommand('stups-local')];

export const STUPS_LOCAL: ToolSpec = {
  name: 'stups-local',
  description:
    "The STUPS platform on one machine: moto-backed AWS behind an AWS-correcting layer, an OpenID Connect provider, a Pier One registry, even with a real sshd bastion, and the stacks' containers behind a weighted router.",
  versionText: `stups-local ${version}`,
  commands: COMMANDS,
};

/**
 * stups-local on the CLI kit: `up` starts the platform's services as a background process and prints
 * the environment for the CLIs (`eval "$(stups-local up)"`), `down` stops it by PID. Results on stdout,
 * progress and errors on stderr, through the kit's one host and one error handler.
 */
export function main(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  return runCli(STUPS_LOCAL, stateDirAfterCommand(argv), io);
}

/**
 * `--state-dir DIR` was a tool-wide option before the kit (`stups-local --state-dir DIR up`); the kit
 * declares it on each command, so a leading one is moved behind the command name: both forms work.
 */
export function stateDirAfterCommand(argv: string[]): string[] {
  const first = argv[0];
  if (first === '--state-dir' && argv.length >= 3)
    return [argv[2] as string, first, argv[1] as string, ...argv.slice(3)];
  if (first?.startsWith('--state-dir=') && argv.length >= 2) return [argv[1] as string, first, ...argv.slice(2)];
  return argv;
}

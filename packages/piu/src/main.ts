import { type AnyCommand, type CliIo, completionCommand, runCli, type ToolSpec } from '@stups/cli-kit';
import { PIU_COMMANDS } from './commands/specs.js';
import { version } from './version.js';

export const PIU: ToolSpec = {
  name: 'piu',
  description: 'Request audited, time-limited SSH access to a host (through the odd bastion).',
  versionText: `Piu ${version}`,
  commands: [...(PIU_COMMANDS as AnyCommand[]), completionCommand],
};

const GLOBAL_FLAGS = new Set(['-h', '--help', '-V', '--version', '--debug']);

/**
 * piu's default command: when the first word after the global flags is neither a command (or a
 * unique prefix of one), the line is taken as arguments of `request-access` (`piu 172.31.1.1 reason`).
 */
export function withDefaultCommand(argv: string[]): string[] {
  let i = 0;
  while (i < argv.length) {
    const a = argv[i] as string;
    if (a === '--log-format') i += 2;
    else if (GLOBAL_FLAGS.has(a) || a.startsWith('--log-format=')) i += 1;
    else break;
  }
  if (i >= argv.length) return argv;
  const names = PIU_COMMANDS.map((c) => c.name);
  const word = argv[i] as string;
  if (word === 'help' || (!word.startsWith('-') && names.some((n) => n.startsWith(word)))) return argv;
  return [...argv.slice(0, i), 'request-access', ...argv.slice(i)];
}

export function main(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  return runCli(PIU, withDefaultCommand(argv), io);
}

import {
  type AnyCommand,
  type CliIo,
  completionCommand,
  type DefaultCommand,
  nearCommands,
  runCli,
  type ToolSpec,
  withDefaultCommand as withDefault,
} from '@stups/cli-kit';
import { PIU_COMMANDS } from './commands/registry.js';
import { version } from './version.js';

export const PIU: ToolSpec = {
  name: 'piu',
  description: 'Request audited, time-limited SSH access to a host (through the odd bastion).',
  versionText: `piu ${version}`,
  debugHelp: 'show stack traces on errors and why looking up the odd host failed',
  commands: [...(PIU_COMMANDS as AnyCommand[]), completionCommand('piu')],
  defaultCommand: { name: 'request-access', takes: (word, names) => REQUEST_ACCESS_BY_DEFAULT.takes(word, names) },
};

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * Whether a word reads as `[USER@]HOST` where HOST is an IP address or a DNS name with a dot: only such a
 * word may stand for `request-access` (a bare word such as `completion` or `lst` may be a command).
 */
export function looksLikeHost(word: string): boolean {
  const at = word.lastIndexOf('@');
  if (at === 0 || at === word.length - 1) return false;
  const host = at > 0 ? word.slice(at + 1) : word;
  if (at > 0)
    return (
      host.length > 0 && (IPV4.test(host) || host.includes(':') || host.split('.').every((l) => DNS_LABEL.test(l)))
    );
  if (IPV4.test(host)) return true;
  if (host.includes(':')) return /^[0-9a-f:.]+$/i.test(host) && host.split(':').length >= 3;
  const labels = host.split('.');
  return (
    labels.length >= 2 && labels.every((l) => DNS_LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1] as string)
  );
}

/**
 * piu's default command, as the original's (`piu 172.31.1.1 reason` = `piu request-access 172.31.1.1 reason`),
 * but only when the first word reads as a host and is no command, prefix or near-miss of one. Any other
 * word is left to the parser, which refuses it as an unknown command (exit 2) with a suggestion: a typo
 * must never file an audited access request. An option of request-access first (`piu -O odd host reason`)
 * belongs to it.
 */
export const REQUEST_ACCESS_BY_DEFAULT: DefaultCommand = {
  name: 'request-access',
  takes: (word, names) =>
    word !== undefined && (word.startsWith('-') || (looksLikeHost(word) && nearCommands(word, names).length === 0)),
};

/** A piu command line with `request-access` put in where it is meant. */
export function withDefaultCommand(argv: string[]): string[] {
  return withDefault(
    argv,
    PIU.commands.map((c) => c.name),
    REQUEST_ACCESS_BY_DEFAULT,
  );
}

export function main(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  return runCli(PIU, argv, io);
}

import { EXIT } from '@stups/core/errors';
import { describeError } from '@stups/core/io';
import type { CliHost } from './cli-host.js';
import { nearCommands } from './command-prefix.js';
import { CommanderError } from './commander.js';

/**
 * The one top-level handler of every CLI: a typed error becomes one line `Error: …`, its hint and its
 * exit code; an interruption (exit 130) shows what happened and how to resume; anything else is an
 * internal error whose stack trace is shown only with --debug. commander's own usage errors are
 * rendered the same way (exit 2), with a hint to the command's help.
 */
export function reportError(
  e: unknown,
  host: CliHost,
  options: { tool: string; command?: string; commands?: string[] },
): number {
  if (e instanceof CommanderError) {
    const unknown = e.code === 'commander.unknownCommand' ? /'([^']*)'/.exec(e.message)?.[1] : undefined;
    const near = unknown === undefined ? [] : nearCommands(unknown, options.commands ?? []);
    // Our own suggestion (typos of prefixes too) replaces commander's.
    const message = e.message.replace(/^error: /, '').replace(near.length > 0 ? /\n?\(Did you mean .*\)$/s : /$^/, '');
    const usage = `Run '${[options.tool, options.command, '--help'].filter(Boolean).join(' ')}' for usage.`;
    host.error({
      message: message.charAt(0).toUpperCase() + message.slice(1),
      code: 'cli.usage',
      hint:
        near.length > 0 ? `Did you mean ${near.map((n) => `'${options.tool} ${n}'`).join(' or ')}? ${usage}` : usage,
      exitCode: EXIT.USAGE,
    });
    return EXIT.USAGE;
  }
  const report = describeError(e);
  if (report.exitCode === EXIT.INTERRUPTED) {
    host.interrupted(report);
    return report.exitCode;
  }
  const detail =
    host.debug && report.stack
      ? report.stack
      : report.code === 'error.internal'
        ? 'Run with --debug to see the stack trace.'
        : undefined;
  host.error(report, detail);
  return report.exitCode;
}

import { describeError, useColor } from '@stups/core';
import type { CliContext } from './main.js';

/** The one top-level error handler: a one-line message, a hint, the exit code; stack only with --debug. */
export function reportError(e: unknown, cli: CliContext): number {
  const report = describeError(e);
  const color = useColor(cli.stderr, cli.env);
  const red = (s: string) => (color ? `\u001b[1;31m${s}\u001b[0m` : s);
  cli.stderr.write(`${red(`Error: ${report.message}`)}\n`);
  if (report.hint) cli.stderr.write(`Hint: ${report.hint}\n`);
  if (cli.debug && report.stack) cli.stderr.write(`${report.stack}\n`);
  else if (report.code === 'internal') cli.stderr.write('Run with --debug to see the stack trace.\n');
  return report.exitCode;
}

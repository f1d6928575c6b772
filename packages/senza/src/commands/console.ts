import { escapeControl } from '@stups/cli-kit';
import { runListing } from '../listing.js';
import type { ConsoleRun } from './specs/stacks.js';

const LINE_STYLES: [string, string][] = [
  ['ERROR:', '\u001b[1;31m'],
  ['WARNING:', '\u001b[1;33m'],
  ['SUCCESS:', '\u001b[1;32m'],
  ['INFO:', '\u001b[1m'],
];

export const run: ConsoleRun = async ([targets], options, cli) => {
  const { fetchConsoleOutput } = await import('@stups/core/senza/stacks');
  const { limit } = options;
  const color = cli.host.stdoutColor;
  const paint = (style: string, s: string) => (color ? `${style}${s}\u001b[0m` : s);
  // The console has no table: reuse the watch loop with a listing that prints itself.
  return runListing({ ...options, output: 'text' }, cli, [], async ({ session }) => {
    const outputs = await fetchConsoleOutput(session, targets, limit);
    let text = '';
    for (const o of outputs) {
      text += `${paint('\u001b[1m', `Showing last ${limit} lines of ${escapeControl(o.title)}..`)}\n`;
      for (const raw of o.lines) {
        const line = escapeControl(raw);
        const style = LINE_STYLES.find(([marker]) => line.includes(marker));
        text += `${style ? paint(style[1], line) : line}\n`;
      }
    }
    return { spec: { columns: [] }, rows: [], text };
  });
};

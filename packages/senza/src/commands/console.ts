import { useColor } from '@stups/core';
import { runListing } from '../listing.js';
import type { CliContext } from '../main.js';

const LINE_STYLES: [string, string][] = [
  ['ERROR:', '\u001b[1;31m'],
  ['WARNING:', '\u001b[1;33m'],
  ['SUCCESS:', '\u001b[1;32m'],
  ['INFO:', '\u001b[1m'],
];

export async function run(args: unknown[], options: Record<string, unknown>, cli: CliContext): Promise<number> {
  const { fetchConsoleOutput } = await import('@stups/core/senza/stacks');
  const targets = (args[0] as string[] | undefined) ?? [];
  const limit = Number(options.limit ?? 25);
  const color = useColor(cli.stdout, cli.env);
  const paint = (style: string, s: string) => (color ? `${style}${s}\u001b[0m` : s);
  // The console has no table: reuse the watch loop with a listing that prints itself.
  return runListing({ ...options, output: 'text' }, cli, [], async ({ session }) => {
    const outputs = await fetchConsoleOutput(session, targets, limit);
    let text = '';
    for (const o of outputs) {
      text += `${paint('\u001b[1m', `Showing last ${limit} lines of ${o.title}..`)}\n`;
      for (const line of o.lines) {
        const style = LINE_STYLES.find(([marker]) => line.includes(marker));
        text += `${style ? paint(style[1], line) : line}\n`;
      }
    }
    return { spec: { columns: [] }, rows: [], text };
  });
}

import { UsageError } from '@stups/core/errors';

/** Unique prefixes select a command (`senza pri` = `print`), like the originals (click's aliases). */
export function expandCommandPrefix(argv: string[], names: string[]): string[] {
  const i = argv.findIndex((a) => !a.startsWith('-'));
  if (i < 0 || names.includes(argv[i])) return argv;
  const matches = names.filter((n) => n.startsWith(argv[i])).sort();
  if (matches.length === 1) return [...argv.slice(0, i), matches[0], ...argv.slice(i + 1)];
  if (matches.length > 1) {
    throw new UsageError(`Too many matches: ${matches.join(', ')}`, {
      code: 'cli.ambiguous-command',
      hint: 'Type more of the command name.',
    });
  }
  return argv;
}

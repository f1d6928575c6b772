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

/** Edit distance with adjacent transpositions (`lsit` is one edit from `list`). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/**
 * The commands a word that is no command nearly names (`lst` → `list-access-requests`, `lsit` → `list`):
 * a typo of the whole name or of its first letters (one edit in short words, two from 6 letters).
 */
export function nearCommands(word: string, names: string[]): string[] {
  const w = word.toLowerCase();
  if (w.length < 2 || names.includes(w)) return [];
  const allowed = w.length >= 6 ? 2 : 1;
  return names
    .filter(
      (n) =>
        n.startsWith(w) ||
        editDistance(w, n) <= allowed ||
        editDistance(w, n.slice(0, w.length)) <= allowed ||
        editDistance(w, n.slice(0, w.length + 1)) <= allowed,
    )
    .sort();
}

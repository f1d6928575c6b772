/** Width of a terminal nobody measured (a pipe, a CI log): what `fmt`, `man` and commander assume. */
export const DEFAULT_WIDTH = 80;

/**
 * The width output is laid out for: `COLUMNS` when set (the shells' convention, also for a pipe),
 * else the terminal's width, else 80.
 */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv): number {
  const columns = Number(env.COLUMNS);
  if (Number.isInteger(columns) && columns > 0) return columns;
  if (stream.isTTY && stream.columns && stream.columns > 0) return stream.columns;
  return DEFAULT_WIDTH;
}

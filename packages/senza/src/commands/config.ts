import type { CliContext } from '../main.js';

/** `senza config KEY [VALUE]`: get prints the value (exit 1 when unset); set stores it as a string. */
export async function run(args: unknown[], _options: Record<string, unknown>, cli: CliContext): Promise<number> {
  const [key, value] = args as [string, string | undefined];
  const { readSenzaConfig, writeSenzaConfig } = await import('@stups/core/senza/stacks');
  if (value === undefined) {
    const current = readSenzaConfig(key, cli.env);
    if (current === undefined) return 1;
    cli.stdout.write(`${current}\n`);
    return 0;
  }
  await writeSenzaConfig(key, value, cli.env);
  return 0;
}

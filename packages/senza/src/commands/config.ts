import { EXIT } from '@stups/core';
import type { ConfigRun } from './specs/stacks.js';

/** `senza config KEY [VALUE]`: get prints the value (exit 1 when unset); set stores it as a string. */
export const run: ConfigRun = async ([key, value], _options, cli) => {
  const { readSenzaConfig, writeSenzaConfig } = await import('@stups/core/senza/stacks');
  if (value === undefined) {
    const current = readSenzaConfig(key, cli.env);
    if (current === undefined) return EXIT.FAILED;
    cli.host.print(`${current}\n`);
    return EXIT.OK;
  }
  await writeSenzaConfig(key, value, cli.env);
  return EXIT.OK;
};

#!/usr/bin/env node
import { version } from './version.js';

// The AWS SDK warns on every run that future releases will need Node 22; users cannot act on it here.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning?.message;
  if (String(text).includes('NodeVersionSupportWarning') || JSON.stringify(rest).includes('NodeVersionSupportWarning'))
    return;
  (emitWarning as (...a: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // The one answer that needs no argument parser.
  process.stdout.write(`Senza ${version}\n`);
} else {
  const { main } = await import('./main.js');
  process.exitCode = await main(argv);
}

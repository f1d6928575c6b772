#!/usr/bin/env node
import '@stups/cli-kit/node-support';
import { version } from './version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // The one answer that needs no argument parser.
  process.stdout.write(`piu ${version}\n`);
} else {
  const { main } = await import('./main.js');
  process.exitCode = await main(argv);
}

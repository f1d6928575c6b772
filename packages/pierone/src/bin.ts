#!/usr/bin/env node
import { version } from './version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`pierone ${version}\n`);
} else {
  const { main } = await import('./main.js');
  process.exitCode = await main(argv);
}

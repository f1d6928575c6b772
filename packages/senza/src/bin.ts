#!/usr/bin/env node
import '@stups/cli-kit/node-support';
import { readFileSync } from 'node:fs';
import { DEFAULT_WIDTH, terminalWidth } from '@stups/cli-kit/terminal-width';
import { version } from './version.js';

/** `senza --help` as rendered at build time (scripts/bundle.mjs), next to the bundle; absent unbundled. */
function prerenderedHelp(): string | undefined {
  try {
    return readFileSync(new URL('./help.txt', import.meta.url), 'utf8');
  } catch {
    return undefined;
  }
}

const argv = process.argv.slice(2);
// Rendered for 80 columns: another width (a wider terminal, COLUMNS) is laid out by the parser.
const help =
  argv.length === 1 &&
  (argv[0] === '--help' || argv[0] === '-h') &&
  terminalWidth(process.stdout, process.env) === DEFAULT_WIDTH
    ? prerenderedHelp()
    : undefined;
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // The answers that need no argument parser.
  process.stdout.write(`senza ${version}\n`);
} else if (help !== undefined) {
  process.stdout.write(help);
} else {
  // No top-level await: the bundle may be CommonJS (scripts/bundle.mjs).
  void import('./main.js').then(async ({ main }) => {
    process.exitCode = await main(argv);
  });
}

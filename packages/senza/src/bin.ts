#!/usr/bin/env node
import '@stups/cli-kit/node-support';
import { readFileSync } from 'node:fs';
import { writeStdout } from '@stups/cli-kit/fast-output';
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
const help = argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h') ? prerenderedHelp() : undefined;
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // The answers that need no argument parser.
  writeStdout(`Senza ${version}\n`);
} else if (help !== undefined) {
  writeStdout(help);
} else {
  // No top-level await: the bundle may be CommonJS (scripts/bundle.mjs).
  void import('./main.js').then(async ({ main }) => {
    process.exitCode = await main(argv);
  });
}

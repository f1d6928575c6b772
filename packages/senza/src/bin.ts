#!/usr/bin/env node
import '@stups/cli-kit/node-support';
import { fstatSync, readFileSync } from 'node:fs';
import { writeStdout } from '@stups/cli-kit/fast-output';
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

/** Whether stdout is a character device (a terminal, or /dev/null); false for a pipe, a file, a closed fd. */
function stdoutIsCharDevice(): boolean {
  try {
    return fstatSync(1).isCharacterDevice();
  } catch {
    return false;
  }
}

const argv = process.argv.slice(2);
// Rendered for 80 columns: another width (a wider terminal, COLUMNS) is laid out by the parser.
// process.stdout only where it may be a terminal (a character device): building it (or loading node:tty)
// loads the stream stack, which a pipe or a file does not need.
const help =
  argv.length === 1 &&
  (argv[0] === '--help' || argv[0] === '-h') &&
  terminalWidth(stdoutIsCharDevice() ? process.stdout : {}, process.env) === DEFAULT_WIDTH
    ? prerenderedHelp()
    : undefined;
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // The answers that need no argument parser.
  writeStdout(`senza ${version}\n`);
} else if (help !== undefined) {
  writeStdout(help);
} else {
  // No top-level await: the bundle may be CommonJS (scripts/bundle.mjs).
  void import('./main.js').then(async ({ main }) => {
    process.exitCode = await main(argv);
  });
}

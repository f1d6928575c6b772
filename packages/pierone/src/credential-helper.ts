#!/usr/bin/env node
// docker-credential-pierone: Docker calls it on every push and pull, so it loads nothing but the
// protocol and, for `get`, the token sources (the whole auth engine only when no token is cached).
import { readFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import { writeStdout } from '@stups/cli-kit/fast-output';
import { runCredentialHelper } from '@stups/core/pierone/credential-helper';

async function readStdin(): Promise<string> {
  // isatty(0), not process.stdin.isTTY: building process.stdin loads the stream stack (~10 ms a run).
  if (isatty(0)) return '';
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

// No top-level await: the shipped bin is a CommonJS bundle (scripts/bundle.mjs).
void runCredentialHelper(process.argv.slice(2), {
  env: process.env,
  readStdin,
  version: () =>
    (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version,
}).then((answer) => {
  if (answer.stdout) writeStdout(answer.stdout);
  if (answer.stderr) process.stderr.write(answer.stderr);
  process.exitCode = answer.code;
});

#!/usr/bin/env node
// docker-credential-pierone: Docker calls it on every push and pull, so it loads nothing but the
// protocol and, for `get`, the token sources (the whole auth engine only when no token is cached).
import { fstatSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { writeStdout } from '@stups/cli-kit/fast-output';
import { runCredentialHelper } from '@stups/core/pierone/credential-helper';

async function readStdin(): Promise<string> {
  // Not process.stdin.isTTY: building process.stdin loads the stream stack (~10 ms a run). Docker's
  // stdin is a pipe; only a character device (a terminal, /dev/null) needs node:tty's isatty(0).
  try {
    if (fstatSync(0).isCharacterDevice()) {
      const { isatty } = createRequire(import.meta.url)('node:tty') as typeof import('node:tty');
      if (isatty(0)) return '';
    }
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

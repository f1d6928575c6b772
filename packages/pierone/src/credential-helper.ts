#!/usr/bin/env node
// docker-credential-pierone: Docker calls it on every push and pull, so it loads nothing but the
// protocol and, for `get`, the token sources (the whole auth engine only when no token is cached).
import { readFileSync } from 'node:fs';
import { runCredentialHelper } from '@stups/core/pierone/credential-helper';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

const answer = await runCredentialHelper(process.argv.slice(2), {
  env: process.env,
  readStdin,
  version: () =>
    (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version,
});
if (answer.stdout) process.stdout.write(answer.stdout);
if (answer.stderr) process.stderr.write(answer.stderr);
process.exitCode = answer.code;

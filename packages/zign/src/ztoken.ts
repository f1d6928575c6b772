#!/usr/bin/env node
import { writeStdout } from '@stups/cli-kit/fast-output';
import { cachedTokenFor } from './cached-token.js';
import { runFullCli } from './full-cli.js';

const argv = process.argv.slice(2);
const cached = cachedTokenFor(argv, process.env, true);
if (cached !== undefined) {
  writeStdout(`${cached}\n`);
} else {
  // No top-level await: the shipped bin is a CommonJS bundle (scripts/bundle.mjs).
  void runFullCli('ztoken', argv).then((code) => {
    process.exitCode = code;
  });
}

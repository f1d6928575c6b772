#!/usr/bin/env node
import { cachedTokenFor } from './cached-token.js';

const argv = process.argv.slice(2);
const cached = cachedTokenFor(argv, process.env, false);
if (cached !== undefined) {
  process.stdout.write(`${cached}\n`);
} else {
  const { main } = await import('./main.js');
  process.exitCode = await main('zign', argv);
}

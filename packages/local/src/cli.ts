#!/usr/bin/env node
import '@stups/cli-kit/node-support';
import { main } from './cli/main.js';

main(process.argv.slice(2)).then((exitCode) => {
  process.exitCode = exitCode;
});

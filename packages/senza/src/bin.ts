#!/usr/bin/env node
import { main } from './main.js';

// The AWS SDK warns on every run that future releases will need Node 22; users cannot act on it here.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning?.message;
  if (String(text).includes('NodeVersionSupportWarning') || JSON.stringify(rest).includes('NodeVersionSupportWarning'))
    return;
  (emitWarning as (...a: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

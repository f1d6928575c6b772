import { writeSync } from 'node:fs';

/**
 * Writes `text` to stdout (fd 1) directly, for the answers a bin gives before anything else is loaded
 * (`senza --help`, a stored `zign token`, the credential helper's answer): the first touch of
 * `process.stdout` builds Node's stream stack, some 30 internal modules, a tenth of the process's CPU
 * time on Node 24 (docs/benchmarks.md). Whatever a plain write does not take at once (a full pipe,
 * EAGAIN) or any error goes to `process.stdout` as before, so the output and its errors stay the same.
 */
export function writeStdout(text: string): void {
  const bytes = Buffer.from(text);
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(1, bytes, written);
  } catch {
    process.stdout.write(bytes.subarray(written));
  }
}

import { dirname, join } from 'node:path';
import type { ZignName } from './main.js';

/**
 * The full CLI (argument parser, OAuth client), for every run the fast path of a stored token does not
 * answer. In the bundle its code is in the chunks beside the bin (dist/bundle-chunks/, some 500 KB), which
 * are compiled through V8's code cache (core's compile-cache): a warm run skips compiling them
 * (docs/benchmarks.md). The fast path never gets here, so it pays nothing for the cache.
 */
export async function runFullCli(name: ZignName, argv: string[]): Promise<number> {
  // node:url only here: the fast path loads nothing it does not use.
  const [{ installCompileCache }, { fileURLToPath }] = await Promise.all([
    import('@stups/core/fs/compile-cache'),
    import('node:url'),
  ]);
  const chunks = join(dirname(fileURLToPath(import.meta.url)), 'bundle-chunks');
  installCompileCache((file) => file.startsWith(chunks));
  const { main } = await import('./main.js');
  return main(name, argv);
}

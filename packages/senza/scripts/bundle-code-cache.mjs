// In the bundle this is part of the entry, dist/bundle/senza.cjs: its directory holds the chunks.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installCompileCache } from '../../core/dist/fs/compile-cache.js';

const bundleDir = dirname(fileURLToPath(import.meta.url));
installCompileCache((file) => file.startsWith(bundleDir));

#!/usr/bin/env node
// `docker-credential-pierone` as a bundle (scripts/bundle-cli.mjs): Docker runs it on every push and pull,
// and `get` with a valid stored token is answered by one CommonJS file; the auth engine is a chunk.
import { fileURLToPath } from 'node:url';
import { bundleCli } from '../../../scripts/bundle-cli.mjs';

await bundleCli(fileURLToPath(new URL('..', import.meta.url)), {
  'docker-credential-pierone': 'dist/credential-helper.js',
});

#!/usr/bin/env node
// `zign` and `ztoken` as bundles (scripts/bundle-cli.mjs): `token -n NAME` with a valid stored token is
// answered by one CommonJS file; the CLI (argument parser, OAuth client) is a chunk loaded otherwise.
import { fileURLToPath } from 'node:url';
import { bundleCli } from '../../../scripts/bundle-cli.mjs';

await bundleCli(fileURLToPath(new URL('..', import.meta.url)), { zign: 'dist/zign.js', ztoken: 'dist/ztoken.js' });

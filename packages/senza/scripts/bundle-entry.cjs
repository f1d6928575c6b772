#!/usr/bin/env node
// The bundle's entry (scripts/bundle.mjs): V8's code cache for the bundle's own chunks, then senza's bin.
// `__dirname` is the bundle's directory: this file becomes dist/bundle/senza.cjs.
const { installCompileCache } = require('../../core/dist/aws/compile-cache.js');

installCompileCache((file) => file.startsWith(__dirname));
require('../dist/bin.js');

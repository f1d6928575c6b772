#!/usr/bin/env node
// The bundle's entry (scripts/bundle.mjs): V8's code cache for the bundle's own chunks, then senza's bin.
// Imports run in order, so the cache is in place before bin loads a chunk.
import './bundle-code-cache.mjs';
import '../dist/bin.js';

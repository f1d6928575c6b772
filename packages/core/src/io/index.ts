// `@stups/core/io`: what a CLI host needs at start-up, without the rest of the engine (no YAML, no tables).
export * from './error-report.js';
export * from './messages.js';
export * from './output-formats.js';
export { useColor } from './stream-host.js';

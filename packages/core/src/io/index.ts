// `@stups/core/io`: what a CLI host needs at start-up, without the rest of the engine (no YAML, no tables).
export { describeError } from './error-report.js';
export type { MessageCode, SpanCode } from './message-codes.js';
export {
  type EmittedMessage,
  type IoHost,
  type Message,
  type MessageCatalog,
  type MessageDefinition,
  RecordingHost,
  type SpanMessage,
  withSpan,
} from './messages.js';
export { OUTPUT_FORMATS, type OutputFormat } from './output-formats.js';
export { useColor } from './stream-host.js';

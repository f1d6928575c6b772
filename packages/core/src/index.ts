export { loadToolConfig, storeToolConfig } from './config/tool-config.js';
export {
  AbortedError,
  EXIT,
  InterruptedError,
  NotFoundError,
  OperationError,
  StupsError,
  UsageError,
} from './errors.js';
export { createFileAtomic, writeFileAtomic } from './fs/atomic-file.js';
export { withFileLock } from './fs/file-lock.js';
export { describeError } from './io/error-report.js';
export type { MessageCode, SpanCode } from './io/message-codes.js';
export {
  type EmittedMessage,
  type IoHost,
  type Message,
  type MessageCatalog,
  RecordingHost,
  type SpanMessage,
  withSpan,
} from './io/messages.js';
export { pythonJsonDumps } from './io/python-json.js';
export { useColor } from './io/stream-host.js';
export { OUTPUT_FORMATS, type OutputFormat, type Row, renderTable, shownColumns, type TableSpec } from './io/table.js';
export { loadSenzaConfig, resolveSenzaRegion } from './senza/stacks/senza-config.js';

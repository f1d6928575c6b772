export * from './config/tool-config.js';
export * from './errors.js';
export * from './io/error-report.js';
export * from './io/messages.js';
export * from './io/python-json.js';
export * from './io/relative-time.js';
export * from './io/stream-host.js';
export * from './io/table.js';

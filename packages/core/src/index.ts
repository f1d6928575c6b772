export * from './errors.js';
export * from './io/messages.js';

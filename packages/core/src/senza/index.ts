export * from './account-facts.js';
export * from './template-types.js';

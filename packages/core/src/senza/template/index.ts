// `@stups/core/senza/template`: definition + account facts → CloudFormation template: the area's entry point.
export { AccountFacts, type FactNeed } from './account-facts.js';
export { type AccountFactsOptions, fetchAccountFacts } from './account-facts-fetch.js';
export { generateTemplate } from './generate-template.js';
export { DEFAULT_TAUPAGE_OWNERS, taupageOwnersFrom } from './taupage-owners.js';

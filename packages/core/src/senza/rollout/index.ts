export * from './binomial.js';
export * from './rollout-decision.js';
export * from './rollout-spec.js';
export * from './rollout-steps.js';
export * from './verdict.js';

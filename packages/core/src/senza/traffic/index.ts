export * from './apply-traffic.js';
export * from './route53-records.js';
export * from './traffic-command.js';
export * from './traffic-discovery.js';
export * from './traffic-plan.js';
export * from './traffic-table.js';
export * from './wait-for-family.js';

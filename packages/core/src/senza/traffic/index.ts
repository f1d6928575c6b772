export { describeChange, type RecordChange } from './record-changes.js';
export { trafficDistribution } from './traffic-command.js';
export { TRAFFIC_MESSAGES } from './traffic-messages.js';
export type { TrafficRow } from './traffic-plan.js';
export { switchTraffic } from './traffic-switch.js';
export { renderTrafficTable } from './traffic-table.js';

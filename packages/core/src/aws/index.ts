export { type AwsFailureContext, endpointHint, mapAwsError } from './aws-errors.js';
export { type AwsCall, type AwsService, AwsSession, type AwsSessionOptions } from './aws-session.js';
export { type AwsTimeouts, awsTimeoutsFrom, DEFAULT_AWS_TIMEOUTS } from './aws-timeouts.js';
export { clientRequestToken } from './client-request-token.js';
export { awsItems, awsPages, nextRecordStart, type Pagination, type RecordStart } from './pages.js';
export { type RegionSources, regionFromSharedConfig, resolveRegion } from './region.js';

export { type AwsCall, type AwsService, AwsSession, type AwsSessionOptions, mapAwsError } from './aws-session.js';
export { type RegionSources, regionFromSharedConfig, resolveRegion } from './region.js';

import { awsService } from '../aws/aws-service.js';
import type { PlatformService } from '../contract/platform-service.js';
import { evenService } from '../even/even-service.js';
import { oauthService } from '../oauth/oauth-service.js';
import { registryService } from '../registry/registry-service.js';
import { runtimeService } from '../runtime/runtime-service.js';

/** The services of the platform, in start order (stopped in reverse). The next ones are added here. */
export const PLATFORM_SERVICES: readonly PlatformService[] = [
  awsService,
  oauthService,
  registryService,
  evenService,
  runtimeService,
];

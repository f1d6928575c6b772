import type { CliKitCodes } from '@stups/cli-kit';
import { AWS_SERVICE_MESSAGES } from './aws/aws-service-messages.js';
import { PLATFORM_MESSAGES } from './daemon/platform-messages.js';
import { EVEN_MESSAGES } from './even/even-messages.js';
import { REGISTRY_MESSAGES } from './registry/registry-messages.js';
import { RUNTIME_MESSAGES } from './runtime/runtime-messages.js';

/**
 * Every catalog of what stups-local emits and raises, by area, for docs/messages.md and the check that
 * every code is registered. A new service adds its folder's catalog here.
 */
export const LOCAL_CATALOGS = [
  { area: 'stups-local platform', catalog: PLATFORM_MESSAGES },
  { area: 'stups-local AWS service', catalog: AWS_SERVICE_MESSAGES },
  { area: 'stups-local Pier One registry', catalog: REGISTRY_MESSAGES },
  { area: 'stups-local even and sshd hosts', catalog: EVEN_MESSAGES },
  { area: 'stups-local runtime', catalog: RUNTIME_MESSAGES },
];

/** stups-local compiles with the engine's, the kit's and its services' codes (each catalog adds its own). */
declare module '@stups/core/io/message-codes' {
  interface MessageCodes extends CliKitCodes {}
}

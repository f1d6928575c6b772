import { AUTH_MESSAGES } from './auth/auth-messages.js';
import { AWS_MESSAGES } from './aws/aws-messages.js';
import { HTTP_MESSAGES } from './http/http-gateway.js';
import { CORE_MESSAGES } from './io/core-messages.js';
import type { CodesOf } from './io/message-codes.js';
import type { MessageCatalog } from './io/messages.js';
import { PIERONE_MESSAGES } from './pierone/pierone-messages.js';
import { PIU_MESSAGES } from './piu/piu-messages.js';
import { DEFINITION_MESSAGES } from './senza/definition/definition-messages.js';
import { DIAGNOSE_MESSAGES } from './senza/diagnose/diagnose-messages.js';
import { INIT_MESSAGES } from './senza/init/init-messages.js';
import { ROLLOUT_MESSAGES } from './senza/rollout/rollout-messages.js';
import { RESPAWN_MESSAGES } from './senza/stacks/lifecycle/respawn-messages.js';
import { STACKS_MESSAGES } from './senza/stacks/stacks-messages.js';
import { WAIT_MESSAGES } from './senza/stacks/watch/wait-messages.js';
import { TEMPLATE_MESSAGES } from './senza/template/template-messages.js';
import { TRAFFIC_MESSAGES } from './senza/traffic/traffic-messages.js';

/** Every engine area's catalog, by area, for the generated docs page and the registration tests. */
export const ENGINE_CATALOGS: { area: string; catalog: MessageCatalog }[] = [
  { area: 'Errors (core)', catalog: CORE_MESSAGES },
  { area: 'AWS', catalog: AWS_MESSAGES },
  { area: 'Senza definitions', catalog: DEFINITION_MESSAGES },
  { area: 'Senza templates and components', catalog: TEMPLATE_MESSAGES },
  { area: 'Senza stacks', catalog: STACKS_MESSAGES },
  { area: 'senza wait', catalog: WAIT_MESSAGES },
  { area: 'senza respawn-instances', catalog: RESPAWN_MESSAGES },
  { area: 'Senza traffic', catalog: TRAFFIC_MESSAGES },
  { area: 'Senza diagnosis', catalog: DIAGNOSE_MESSAGES },
  { area: 'Senza progressive traffic (rollout)', catalog: ROLLOUT_MESSAGES },
  { area: 'senza init', catalog: INIT_MESSAGES },
  { area: 'OAuth tokens (core/auth)', catalog: AUTH_MESSAGES },
  { area: 'Platform HTTP APIs (core/http)', catalog: HTTP_MESSAGES },
  { area: 'Pier One (core/pierone)', catalog: PIERONE_MESSAGES },
  { area: 'piu (core/piu)', catalog: PIU_MESSAGES },
];

/**
 * Every engine catalog's codes. Inside the engine each catalog adds its own to `MessageCodes`; a program
 * that compiles against the built engine sees only the catalogs it happens to import, so the kit and the
 * CLIs extend `MessageCodes` with this (see cli-kit's `CliKitCodes`).
 */
export interface EngineCodes
  extends CodesOf<typeof CORE_MESSAGES>,
    CodesOf<typeof AWS_MESSAGES>,
    CodesOf<typeof DEFINITION_MESSAGES>,
    CodesOf<typeof TEMPLATE_MESSAGES>,
    CodesOf<typeof STACKS_MESSAGES>,
    CodesOf<typeof WAIT_MESSAGES>,
    CodesOf<typeof RESPAWN_MESSAGES>,
    CodesOf<typeof TRAFFIC_MESSAGES>,
    CodesOf<typeof DIAGNOSE_MESSAGES>,
    CodesOf<typeof ROLLOUT_MESSAGES>,
    CodesOf<typeof INIT_MESSAGES>,
    CodesOf<typeof AUTH_MESSAGES>,
    CodesOf<typeof HTTP_MESSAGES>,
    CodesOf<typeof PIERONE_MESSAGES>,
    CodesOf<typeof PIU_MESSAGES> {}

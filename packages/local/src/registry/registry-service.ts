import { join } from 'node:path';
import { OperationError } from '@stups/core';
import type { PlatformService } from '../contract/platform-service.js';
import { LOCAL_SERVICE_USER } from '../oauth/oauth-accounts.js';
import { CI_CLIENT } from '../oauth/oauth-clients.js';
import { startRegistry } from './registry-server.js';

/** The Pier One part of the platform: the registry in the daemon's process, its data in `<state>/registry`. */
export const registryService: PlatformService = {
  name: 'pierone',
  description: 'the Pier One registry (Docker Registry v2 and the Pier One API, tokens checked at tokeninfo)',
  async start({ stateDir, port, environment }) {
    const tokeninfoUrl = environment?.TOKENINFO_URL;
    if (!tokeninfoUrl)
      throw new OperationError('The Pier One registry needs the OAuth service (TOKENINFO_URL), which did not start', {
        code: 'local.pierone-no-oauth',
        hint: 'The oauth service must come before pierone in the services list.',
      });
    const registry = await startRegistry({
      root: join(stateDir, 'registry'),
      tokeninfoUrl,
      clientTeams: { [CI_CLIENT.client_id]: LOCAL_SERVICE_USER.team },
      port,
    });
    return {
      record: {
        name: 'pierone',
        endpoint: registry.url,
        summary: `Pier One at ${registry.url} (team ${LOCAL_SERVICE_USER.team} may push)`,
        environment: { PIERONE_URL: registry.url },
        parts: [{ label: 'registry', endpoint: registry.url, pid: process.pid, probePath: '/.well-known/health' }],
      },
      stop: () => registry.close(),
    };
  },
};

import type { MessageCatalog } from '../io/messages.js';

/** What `pierone login` and `logout` tell the person (stderr); results of listings go to stdout. */
export const PIERONE_MESSAGES: MessageCatalog = {
  'pierone.login.config-written': {
    level: 'info',
    description: "The Docker configuration was written (the helper registered, or --store-token's auths entry).",
    data: {
      path: 'the config.json written',
      registry: 'the key used, host[:port]',
      removedAuths: 'stale auths keys removed for that registry',
    },
  },
  'pierone.login.done': {
    level: 'info',
    description: 'Login finished: the helper answers for the registry from now on (or the stored token does).',
  },
  'pierone.logout.done': {
    level: 'info',
    description: 'What logout removed from config.json, or that there was no login for the registry.',
    data: { path: 'the config.json', registry: 'the key, host[:port]' },
  },
};

import { defineCommand } from '@stups/cli-kit';
import { listAccessRequestsShape, requestAccessShape } from './specs.js';

/** The commands, as data: the specs give their shapes; each module is imported only when its command runs. */
export const PIU_COMMANDS = [
  defineCommand({
    name: 'request-access',
    summary: 'request SSH access to a single host',
    usage: '[options] [USER@]HOST REASON...',
    ...requestAccessShape,
    load: () => import('./request-access.js'),
  }),
  defineCommand({
    name: 'list-access-requests',
    summary: 'list access requests filtered by user, host and status',
    ...listAccessRequestsShape,
    load: () => import('./list-access-requests.js'),
  }),
];

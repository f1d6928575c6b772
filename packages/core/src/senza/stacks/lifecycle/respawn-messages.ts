import { EXIT } from '../../../errors.js';
import type { CodesOf } from '../../../io/message-codes.js';
import type { MessageCatalog } from '../../../io/messages.js';

const GROUP = { asgName: 'the Auto Scaling Group' };

/** The messages `senza respawn-instances` (respawnInstances) emits and the errors it raises; the steps are spans. */
export const RESPAWN_MESSAGES = {
  'senza.respawn-count': {
    level: 'info',
    description: 'Per Auto Scaling Group: how many of its running instances will be replaced.',
    data: { stackName: 'the stack', ...GROUP, outdated: 'ids of the instances to replace', total: 'running instances' },
  },
  'senza.respawn-nothing': {
    level: 'info',
    description: 'Every instance of the group is up to date; it is left alone.',
    data: { stackName: 'the stack', ...GROUP },
  },
  'senza.respawn-suspend': {
    level: 'info',
    description: 'Span: suspending AZRebalance, AlarmNotification and ScheduledActions (those not suspended before).',
    data: GROUP,
  },
  'senza.respawn-scale-out': {
    level: 'info',
    description: 'Span: waiting until the raised capacity is in service (every load balancer agrees).',
    data: GROUP,
  },
  'senza.respawn-in-service': {
    level: 'info',
    description: 'Each check while scaling out: the instances in service so far (in text, a dot on the scaling line).',
    data: { ...GROUP, inService: 'ids of the instances in service' },
  },
  'senza.respawn-terminate': {
    level: 'info',
    description: 'Span: terminating one outdated instance and waiting until it has left service.',
    data: GROUP,
  },
  'senza.respawn-reset': {
    level: 'info',
    description: 'Span: restoring the group to its original min-desired-max sizes (also after errors and Ctrl-C).',
    data: GROUP,
  },
  'senza.respawn-resume': {
    level: 'info',
    description: 'Span: resuming the scaling processes this command suspended.',
    data: GROUP,
  },
  'senza.respawn-launch-missing': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description:
      'Auto Scaling Group … cannot launch instances: its launch configuration (or launch template version) … does not exist. Nothing was changed.',
    data: { ...GROUP, launch: 'the launch configuration or template version' },
  },
  'senza.respawn-timeout': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Timed out after … s waiting for …; the group was reset to its original capacity.',
    data: { ...GROUP, what: 'what was waited for' },
  },
} satisfies MessageCatalog;

declare module '../../../io/message-codes.js' {
  interface MessageCodes extends CodesOf<typeof RESPAWN_MESSAGES> {}
}

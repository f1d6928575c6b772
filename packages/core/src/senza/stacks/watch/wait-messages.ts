import type { MessageCatalog } from '../../../io/messages.js';

/** The messages `senza wait` (waitForStacks) emits. */
export const WAIT_MESSAGES: MessageCatalog = {
  'senza.wait.waiting': {
    level: 'info',
    description: 'After each check while stacks are still in progress: the time left and what is still running.',
    data: {
      remainingSeconds: 'seconds left of --timeout',
      stacks: 'stackName and status of each stack still waited for',
    },
  },
  'senza.wait.event': {
    level: 'error',
    description: 'A failed stack: one message per failure or rollback event with a reason, oldest first.',
    data: {
      stackName: 'the stack',
      logicalId: 'the resource',
      status: 'its status',
      reason: 'why CloudFormation failed it',
    },
  },
  'senza.wait.ok': {
    level: 'info',
    description: 'Every matched stack reached its target status (created, updated or deleted).',
    data: { stacks: 'stackName and status of each stack' },
  },
};

import { EXIT } from '../../../errors.js';
import type { CodesOf } from '../../../io/message-codes.js';
import type { MessageCatalog } from '../../../io/messages.js';

const STACK = { stackName: 'the stack (name-version)', status: 'the CloudFormation status' };
const STACKS = 'stackName and status of each stack';

/** The messages `senza wait` (waitForStacks) emits and the errors it raises. */
export const WAIT_MESSAGES = {
  'senza.wait-waiting': {
    level: 'info',
    description: 'After each check while stacks are still in progress: the time left and what is still running.',
    data: { remainingSeconds: 'seconds left of --timeout', stacks: `${STACKS} still waited for` },
  },
  'senza.wait-event': {
    level: 'error',
    description: 'A failed stack: one message per failure or rollback event with a reason, oldest first.',
    data: { ...STACK, logicalId: "the resource's logical id", reason: 'why CloudFormation failed it' },
  },
  'senza.wait-ok': {
    level: 'info',
    description: 'Every matched stack reached its target status (`OK: Stack(s) … created successfully.`).',
    data: { stacks: STACKS },
  },
  'senza.wait-failed': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'A matched stack ended in another final status (`Stack … has status …`).',
    data: STACK,
  },
  'senza.wait-no-match': { level: 'error', exitCode: EXIT.USAGE, description: 'No matching stack for "…" found' },
  'senza.wait-timeout': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: '`senza wait` gave up after --timeout seconds (Aborted!); the hint names what is still in progress.',
    data: { stacks: `${STACKS} still in progress` },
  },
} satisfies MessageCatalog;

declare module '../../../io/message-codes.js' {
  interface MessageCodes extends CodesOf<typeof WAIT_MESSAGES> {}
}

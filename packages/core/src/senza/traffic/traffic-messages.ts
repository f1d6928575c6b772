import { EXIT } from '../../errors.js';
import type { MessageCatalog } from '../../io/messages.js';

/** Traffic: discovering versions, waiting for the family, checks, applying the Route53 change. */
export const TRAFFIC_MESSAGES = {
  'senza.traffic-ambiguous': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Stack name "…" matches several stacks: …',
  },
  'senza.traffic-health-unchecked': {
    level: 'info',
    description: 'Stack … has no load balancer: its health was not checked',
  },
  'senza.traffic-no-domain': { level: 'error', exitCode: EXIT.USAGE, description: 'Stack … version … has no domain' },
  'senza.traffic-no-version': { level: 'error', exitCode: EXIT.USAGE, description: 'No stack version of "…" found' },
  'senza.traffic-none-left': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description:
      'No version of … would get traffic on …: Route53 would then spread it over every record, new stacks included',
  },
  'senza.traffic-notify-failed': { level: 'warn', description: 'Could not notify …: …' },
  'senza.traffic-record-missing': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Route 53 Record not found: … (set identifier …)',
  },
  'senza.traffic-stack-not-found': { level: 'error', exitCode: EXIT.FAILED, description: 'Stack not found!' },
  'senza.traffic-target-not-ready': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Stack … is …: traffic not shifted to it',
  },
  'senza.traffic-target-unhealthy': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Stack … has no healthy instance in its load balancer: traffic not shifted to it',
  },
  'senza.traffic-version-not-found': { level: 'error', exitCode: EXIT.USAGE, description: 'Stack version … not found' },
  'senza.traffic-wait-timeout': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Timeout reached, requested operation not executed.',
  },
  'senza.traffic-waiting': {
    level: 'info',
    description: 'Waiting for stack … (…) to perform requested operation..',
    data: { stackName: 'the stack (name-version)', status: 'the CloudFormation status' },
  },
} satisfies MessageCatalog;

import { EXIT } from '../../errors.js';
import type { CodesOf } from '../../io/message-codes.js';
import type { MessageCatalog } from '../../io/messages.js';

/** Traffic: discovering versions, waiting for the family, checks, the switch action and its Route53 change. */
export const TRAFFIC_MESSAGES = {
  'senza.traffic-waiting': {
    level: 'info',
    description:
      'Span, with -t: versions of the family are still in progress; the switch waits for them (a dot per check, then OK).',
    data: { stackName: 'the first stack waited for', status: 'its status', stacks: 'every stack waited for' },
  },
  'senza.traffic-domain-removed': {
    level: 'info',
    description: 'The target gives up its last traffic on a domain: its record there no longer counts.',
    data: { domains: 'the domains' },
  },
  'senza.traffic-left-record': {
    level: 'warn',
    description:
      '`--plan`: a record of the domain belongs to a deleted stack (CloudFormation left it); the switch removes it.',
    data: {
      name: 'the record name',
      setIdentifier: 'its SetIdentifier',
      weight: 'its weight',
      zoneId: 'the hosted zone',
    },
  },
  'senza.traffic-left-record-removed': {
    level: 'warn',
    description:
      'Removed a record of the domain whose stack is deleted (CloudFormation left it, pointing at a deleted load balancer) before switching.',
    data: {
      name: 'the record name',
      setIdentifier: 'its SetIdentifier',
      weight: 'its weight',
      zoneId: 'the hosted zone',
    },
  },
  'senza.traffic-calculating': {
    level: 'info',
    description: 'Span: the new weights are computed from the weights just read.',
  },
  'senza.traffic-compensated': {
    level: 'info',
    description:
      'The given percentage was changed because the other versions are at their minimum (inside the calculating line, as the original).',
    data: { domain: 'the domain' },
  },
  'senza.traffic-health-unchecked': {
    level: 'info',
    description: 'The target has no load balancer, so its health was not checked before shifting traffic.',
  },
  'senza.traffic-would-refuse': {
    level: 'warn',
    description: 'With --plan: applying this plan would be refused, for the reason given.',
    data: { refusal: 'the refusal’s error code' },
  },
  'senza.traffic-setting-weights': {
    level: 'info',
    description: 'Span: the weights are written (compare-and-set); ends OK, "not changed", or FAILED.',
    data: { domains: 'the domains changed' },
  },
  'senza.traffic-conflict': {
    level: 'info',
    description: 'Another change of the records came first: the weights are read and the switch planned again.',
    data: { attempt: 'the next attempt', attempts: 'attempts at most' },
  },
  'senza.traffic-read-back': {
    level: 'warn',
    description:
      'The answer to the weight change was lost (a timeout, a dropped connection); Route 53 was read back and holds the new weights, so the switch counts as applied.',
    data: { outcome: 'applied' },
  },
  'senza.traffic-partly-applied': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description:
      'The answer to the weight change was lost and Route 53, read back, holds some new and some old weights.',
  },
  'senza.traffic-outcome-unknown': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description:
      'The answer to the weight change was lost and the records could not be read back: whether the weights were applied is unknown (never reported as not applied).',
  },
  'senza.traffic-not-applied': {
    level: 'warn',
    description: 'The switch failed before or while writing: the planned weights (in data) were not applied.',
    data: { columns: 'table columns', rows: 'the planned rows' },
  },
  'senza.traffic-notify-failed': {
    level: 'warn',
    description: 'The SNS notice of a switch could not be published (the weights are set).',
  },
  'senza.traffic-ambiguous': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Stack name "…" matches several stacks: …',
  },
  'senza.traffic-no-domain': { level: 'error', exitCode: EXIT.USAGE, description: 'Stack … version … has no domain' },
  'senza.traffic-no-version': { level: 'error', exitCode: EXIT.USAGE, description: 'No stack version of "…" found' },
  'senza.traffic-none-left': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description:
      'No version of … would get traffic on …: Route53 would then spread it over every record, new stacks included',
  },
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
  'senza.traffic-target-deleting': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'The target stack is being deleted: traffic is never shifted to it, not even with --force.',
  },
  'senza.traffic-lost-race': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Another change of the weights came first on every attempt: nothing was applied.',
  },
  'senza.traffic-target-deleted': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'The target began deleting while the weights were written: the change was set back.',
  },
} satisfies MessageCatalog;

declare module '../../io/message-codes.js' {
  interface MessageCodes extends CodesOf<typeof TRAFFIC_MESSAGES> {}
}

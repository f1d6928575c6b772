import type { MessageCatalog } from '../../io/messages.js';

/** Every message code `senza traffic` (the switch action, its checks and the family wait) emits. */
export const TRAFFIC_MESSAGES: MessageCatalog = {
  'senza.traffic-waiting': {
    level: 'info',
    description: 'With -t: a version of the family is still in progress; the switch waits for it.',
    data: { stackName: 'the stack waited for', status: 'its status' },
  },
  'senza.traffic-domain-removed': {
    level: 'info',
    description: 'The target gives up its last traffic on a domain: its record there no longer counts.',
    data: { domains: 'the domains' },
  },
  'senza.traffic-calculating': {
    level: 'info',
    description: 'Span: the new weights are computed from the weights just read.',
  },
  'senza.traffic-compensated': {
    level: 'warn',
    description: 'The given percentage was changed because the other versions are at their minimum.',
    data: { domain: 'the domain' },
  },
  'senza.traffic-health-unchecked': {
    level: 'info',
    description: 'The target has no load balancer, so its health was not checked before shifting traffic.',
  },
  'senza.traffic-would-refuse': {
    level: 'warn',
    description: 'With --plan: applying this plan would be refused, for the reason given.',
    data: { code: 'the refusal’s error code' },
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
  'senza.traffic-not-applied': {
    level: 'warn',
    description: 'The switch failed before or while writing: the planned weights (in data) were not applied.',
    data: { columns: 'table columns', rows: 'the planned rows' },
  },
  'senza.traffic-notify-failed': {
    level: 'warn',
    description: 'The SNS notice of a switch could not be published (the weights are set).',
  },
};

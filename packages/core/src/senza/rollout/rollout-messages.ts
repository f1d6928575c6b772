import { EXIT } from '../../errors.js';
import type { CodesOf } from '../../io/message-codes.js';
import type { MessageCatalog } from '../../io/messages.js';

/** Progressive traffic (the rollout engine): its specification, its record beside the weights, its loop. */
export const ROLLOUT_MESSAGES = {
  'senza.rollout-started': {
    level: 'info',
    description: 'A rollout started: its record and the first step’s weights were written in one batch.',
    data: { id: 'the rollout id', target: 'the target', percentage: 'the first step' },
  },
  'senza.rollout-evaluation': {
    level: 'info',
    description: 'The gates were evaluated: the verdict and each gate’s evidence.',
    data: { step: 'step index', verdict: 'pass, fail or inconclusive', gates: 'each gate’s verdict and evidence' },
  },
  'senza.rollout-share-diverges': {
    level: 'warn',
    description:
      'The share of requests the target served differs from its weight by more than 5 points for two evaluations in a row (DNS caching, pooled connections).',
    data: { step: 'step index', intended: 'percent by the weights', observed: 'percent served' },
  },
  'senza.rollout-step': {
    level: 'info',
    description: 'The rollout advanced: the next step’s weights were written with the record.',
    data: { step: 'step index', percentage: 'the target’s share' },
  },
  'senza.rollout-promoted': {
    level: 'info',
    description: 'The target got 100 % and passed: the record is removed (exit 0).',
  },
  'senza.rollout-rolled-back': {
    level: 'warn',
    description:
      'A gate failed (or --on-inconclusive rollback): the start weights are back, the record removed (exit 1).',
  },
  'senza.rollout-paused': {
    level: 'warn',
    description:
      'The rollout paused (inconclusive, or weights changed by hand): it waits for --resume or --abort (exit 4).',
  },
  'senza.rollout-aborted': {
    level: 'info',
    description: '--abort: the weights from before the rollout are back, the record removed.',
  },
  'senza.rollout-status': { level: 'info', description: '--status: the rollout running on the domain, or none.' },
  'senza.rollout-usage': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description:
      'PERCENTAGE, --steps, --status, --resume and --abort exclude each other; the last three take only STACK_NAME.',
  },
  'senza.rollout-invalid-steps': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Invalid --steps "…": increasing percentages (multiples of 0.5) ending at 100.',
  },
  'senza.rollout-invalid-duration': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Invalid duration "…": expected a duration such as 60s, 5m, 1h30m.',
  },
  'senza.rollout-invalid-gate': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Invalid --gate "…": not one of 5xx-rate<…%, 5xx-rate<=baseline*F, latency<…ms, alarm:NAME.',
  },
  'senza.rollout-invalid-option': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Invalid --min-requests, --failure-limit, --interval or --on-inconclusive.',
  },
  'senza.rollout-running': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'A rollout is already running on the domain (its record exists): a second one does not start.',
  },
  'senza.rollout-none': { level: 'error', exitCode: EXIT.FAILED, description: 'No rollout is running on the domain.' },
  'senza.rollout-no-records': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'The main domain has no weighted records: nothing to roll out.',
  },
  'senza.rollout-no-capacity': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'A version losing traffic could not take it back (its auto scaling groups are at desired 0).',
  },
  'senza.rollout-target-not-ready': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'The target stack is not CREATE_COMPLETE/UPDATE_COMPLETE: no rollout to it.',
  },
  'senza.rollout-manual-change': {
    level: 'error',
    exitCode: EXIT.PAUSED,
    description:
      'The weights (or the record) were changed outside the rollout: it stops instead of fighting the change.',
  },
  'senza.rollout-ended-elsewhere': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'The rollout was ended (aborted, promoted) by another command while this one waited.',
  },
} satisfies MessageCatalog;

declare module '../../io/message-codes.js' {
  interface MessageCodes extends CodesOf<typeof ROLLOUT_MESSAGES> {}
}

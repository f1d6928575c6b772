import { EXIT } from '../../errors.js';
import type { MessageCatalog } from '../../io/messages.js';

/** Progressive traffic (the rollout engine): its specification, its record beside the weights, its loop. */
export const ROLLOUT_MESSAGES = {
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

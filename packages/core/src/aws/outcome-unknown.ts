/**
 * Whether a failed AWS call may nevertheless have taken effect: the request may have reached AWS and
 * only the answer was lost (a timeout, a dropped connection, a gateway's error page in place of the
 * answer). A write that fails so must be read back before anyone is told it did not happen.
 */
const UNKNOWN_OUTCOME_CODES = new Set(['aws.timeout', 'aws.unreachable', 'aws.bad-response']);

export function isOutcomeUnknown(e: unknown): boolean {
  return UNKNOWN_OUTCOME_CODES.has((e as { code?: string } | undefined)?.code ?? '');
}

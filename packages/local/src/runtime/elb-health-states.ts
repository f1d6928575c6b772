export { HEALTH_DESCRIPTIONS, type TargetHealthState, targetHealthOf } from '../contract/elb-health.js';

/** Whether an HTTP status passes a matcher: `200`, `200-299`, `200,202` (classic ELB: `200`). */
export function statusMatches(status: number | undefined, codes: string): boolean {
  if (status === undefined) return false;
  return codes.split(',').some((part) => {
    const [lo, hi] = part.trim().split('-').map(Number);
    if (lo === undefined || Number.isNaN(lo)) return false;
    return hi === undefined ? status === lo : status >= lo && status <= hi;
  });
}

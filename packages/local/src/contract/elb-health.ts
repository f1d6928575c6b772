import type { InstanceHealth } from './links.js';

/** Classic ELB's descriptions of an instance's state (DescribeInstanceHealth). */
export const HEALTH_DESCRIPTIONS = {
  registering: 'Instance registration is still in progress.',
  failed: 'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.',
  notRunning: 'Instance is not running: its container is stopped, restarting or not started yet.',
} as const;

/** An ELBv2 target's health (DescribeTargetHealth), for the same state as classic ELB states it. */
export interface TargetHealthState {
  state: 'healthy' | 'initial' | 'unhealthy' | 'unused';
  reason?: string;
  description?: string;
}

export function targetHealthOf(health: InstanceHealth): TargetHealthState {
  if (health.state === 'InService') return { state: 'healthy' };
  if (health.reasonCode === 'ELB') {
    return {
      state: 'initial',
      reason: 'Elb.RegistrationInProgress',
      description: 'Target registration is in progress',
    };
  }
  if (health.description === HEALTH_DESCRIPTIONS.notRunning) {
    return { state: 'unused', reason: 'Target.InvalidState', description: 'Target is in the stopped state' };
  }
  // ELBv2 names what the failed checks got (API_TargetHealth reason codes).
  const last = health.lastCheck;
  if (last?.status !== undefined)
    return {
      state: 'unhealthy',
      reason: 'Target.ResponseCodeMismatch',
      description: `Health checks failed with these codes: [${last.status}]`,
    };
  if (last?.timedOut) return { state: 'unhealthy', reason: 'Target.Timeout', description: 'Request timed out' };
  return { state: 'unhealthy', reason: 'Target.FailedHealthChecks', description: 'Health checks failed' };
}

/**
 * What a rollout does after each evaluation, pure. A failed evaluation counts against
 * --failure-limit and reverts when the limit is reached; a step advances only when its evaluation at
 * the end of the bake passes; an evaluation at the end of the bake that does not pass (inconclusive,
 * or failed below the limit) pauses or reverts as --on-inconclusive says.
 */
import type { Evaluation } from './verdict.js';

export type StepAction = 'continue' | 'advance' | 'rollback' | 'pause';

export interface StepDecisionInput {
  evaluation: Evaluation;
  /** Failed evaluations of this step before this one. */
  failures: number;
  failureLimit: number;
  /** This evaluation is the step's last (the end of its bake). */
  atBakeEnd: boolean;
  onInconclusive: 'pause' | 'rollback';
}

export interface StepDecision {
  action: StepAction;
  failures: number;
  reason?: string;
}

export function decideStep(input: StepDecisionInput): StepDecision {
  const { evaluation, failureLimit, atBakeEnd, onInconclusive } = input;
  const failures = input.failures + (evaluation.verdict === 'fail' ? 1 : 0);
  if (evaluation.verdict === 'fail' && failures >= failureLimit) {
    const failed = evaluation.gates.filter((g) => g.verdict === 'fail').map((g) => g.gate);
    return { action: 'rollback', failures, reason: `gate failed: ${failed.join(', ')}` };
  }
  if (!atBakeEnd) return { action: 'continue', failures };
  if (evaluation.verdict === 'pass') return { action: 'advance', failures };
  const open = evaluation.gates.filter((g) => g.verdict !== 'pass').map((g) => g.gate);
  const reason = `not all gates passed at the end of the bake: ${open.join(', ')}`;
  return { action: onInconclusive === 'rollback' ? 'rollback' : 'pause', failures, reason };
}

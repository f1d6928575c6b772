/**
 * The rollout loop: bake each step, evaluate the gates every interval, then advance, promote, pause
 * or revert. Everything it knows between two evaluations is in the rollout record (Route53), so a
 * run that is killed at any point continues with `resume` from any machine; time, sleeping and the
 * metrics are injected, so the loop runs on a virtual clock in tests.
 */
import type { AwsSession } from '../../aws/aws-session.js';
import { EXIT, type ExitCode, OperationError, StupsError } from '../../errors.js';
import {
  checkNoManualChange,
  currentRecord,
  finishRollout,
  type RolloutState,
  readRolloutState,
  updateRollout,
} from './rollout-actions.js';
import { decideStep } from './rollout-decision.js';
import { type RolloutRecord, withHistory } from './rollout-record.js';
import { ShareTracker, type VersionShare, versionShares } from './rollout-shares.js';
import { evaluationTimes, parseRolloutSpec, stepBakeSeconds } from './rollout-spec.js';
import { rolloutBatches, writeRolloutBatches } from './rollout-store.js';
import { type Evaluation, evaluateGates, type Observation } from './verdict.js';

export type RolloutEvent =
  | { type: 'step'; step: number; percentage: number; record: RolloutRecord }
  | {
      type: 'evaluation';
      step: number;
      /** The end of the window (ISO); the window starts with the step. */
      at: string;
      /** When the evaluation was made (ISO): `at`, or later when the metrics came late. */
      madeAt: string;
      evaluation: Evaluation;
      /** The target's share in percent: the step's (intended) and what it served in the window (observed). */
      share: { intended: number; observed?: number };
      /** Every version's requests, 5xx, latency and observed against intended share in the window. */
      versions: VersionShare[];
      /** When the step's bake ends (ISO), for a countdown. */
      bakeEndsAt: string;
    }
  | {
      type: 'share-diverges';
      step: number;
      identifier: string;
      version: string;
      target: boolean;
      intended: number;
      observed: number;
    }
  | { type: 'promoted'; record: RolloutRecord }
  | {
      type: 'rolled-back';
      record: RolloutRecord;
      reason: string;
      /**
       * When the first failing evaluation of the step was made (the deciding one when none failed,
       * `--on-inconclusive rollback`), and when the start weights were back (ISO).
       */
      decidedAt: string;
      restoredAt: string;
    }
  | { type: 'paused'; record: RolloutRecord; reason: string };

export interface RolloutLoopDeps {
  session: AwsSession;
  domains: string[];
  /** What the target and the versions losing traffic served in the window (and the alarms' states). */
  observe(window: { start: Date; end: Date }, record: RolloutRecord): Promise<Observation>;
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  emit?(event: RolloutEvent): void;
  signal?: AbortSignal;
}

export interface RolloutResult {
  outcome: 'promoted' | 'rolled back' | 'paused' | 'interrupted';
  exitCode: ExitCode;
  reason?: string;
  record: RolloutRecord;
}

/** Writes only the record (no weights, no manual-change check): used to pause a rollout. */
async function writeRecordOnly(session: AwsSession, state: RolloutState, next: RolloutRecord): Promise<void> {
  const txt = state.places.map((p) => {
    const old = state.stored.find((s) => s.zoneId === p.zoneId && s.domain === p.domain);
    return { ...p, ...(old ? { old: old.rrset } : {}), next };
  });
  await writeRolloutBatches(session, rolloutBatches(txt, []), `senza rollout ${next.id}: paused`);
}

async function pause(
  deps: RolloutLoopDeps,
  state: RolloutState,
  record: RolloutRecord,
  reason: string,
): Promise<RolloutResult> {
  const paused: RolloutRecord = { ...record, status: 'paused', reason };
  await writeRecordOnly(deps.session, state, paused);
  deps.emit?.({ type: 'paused', record: paused, reason });
  return { outcome: 'paused', exitCode: EXIT.PAUSED, reason, record: paused };
}

/** Sets a paused rollout running again; its current step starts over (a fresh window). */
export async function resumeRollout(
  deps: Pick<RolloutLoopDeps, 'session' | 'domains' | 'now'>,
): Promise<RolloutRecord> {
  const state = await readRolloutState(deps.session, deps.domains);
  const record = currentRecord(state);
  if (!record) {
    throw new OperationError(`No rollout is running on ${state.domains.join(', ')}`, { code: 'senza.rollout-none' });
  }
  checkNoManualChange(state, record);
  const { reason: _reason, ...rest } = record;
  const next: RolloutRecord = {
    ...rest,
    status: 'running',
    stepStartedAt: new Date(deps.now()).toISOString(),
    failures: 0,
  };
  await updateRollout(deps.session, state, next);
  return next;
}

/**
 * Drives the rollout recorded on the domains until it is promoted, reverted or paused, or the
 * signal interrupts it (the record stays; `resume` continues it). A paused rollout is not driven.
 */
export async function driveRollout(deps: RolloutLoopDeps): Promise<RolloutResult> {
  // Evaluations in a row, per version, whose observed share is more than 5 points off the intended one.
  const shares = new ShareTracker();
  // The first failing evaluation of the current step seen by this run.
  let decidedAt = '';
  let decidedStep = -1;
  for (;;) {
    const state = await readRolloutState(deps.session, deps.domains);
    const record = currentRecord(state);
    if (!record) {
      throw new OperationError(`No rollout is running on ${state.domains.join(', ')}`, { code: 'senza.rollout-none' });
    }
    if (record.status === 'paused') {
      return { outcome: 'paused', exitCode: EXIT.PAUSED, reason: record.reason ?? 'paused', record };
    }
    try {
      checkNoManualChange(state, record);
    } catch (e) {
      if (e instanceof StupsError && e.code === 'senza.rollout-manual-change')
        return pause(deps, state, record, e.message);
      throw e;
    }
    const spec = parseRolloutSpec(record.spec);
    const times = evaluationTimes(stepBakeSeconds(spec, record.step), spec.intervalSeconds);
    const last = record.step === spec.steps.length - 1;
    const startMs = Date.parse(record.stepStartedAt);
    const lastEvaluated = record.history
      .filter((h) => h.step === record.step && Date.parse(h.at) >= startMs)
      .reduce((m, h) => Math.max(m, Date.parse(h.at)), startMs);
    const due = times.filter((t) => startMs + t * 1000 > lastEvaluated);
    // Behind schedule (slow calls, a loaded machine): the latest time already due stands for the missed
    // ones (its window, from the step's start, holds theirs), so the loop catches up instead of lagging.
    const nowMs = deps.now();
    const nextTime = due.filter((t) => startMs + t * 1000 <= nowMs).at(-1) ?? due[0];

    let action: 'advance' | 'rollback' | 'pause' | 'continue' = 'advance';
    let deciding = '';
    let reason: string | undefined;
    let next: RolloutRecord = record;
    if (nextTime !== undefined) {
      const at = startMs + nextTime * 1000;
      const wait = at - deps.now();
      if (deps.signal?.aborted) return { outcome: 'interrupted', exitCode: EXIT.INTERRUPTED, record };
      if (wait > 0) {
        try {
          await deps.sleep(wait, deps.signal);
        } catch (e) {
          if (deps.signal?.aborted) return { outcome: 'interrupted', exitCode: EXIT.INTERRUPTED, record };
          throw e;
        }
      }
      const observation = await deps.observe({ start: new Date(startMs), end: new Date(at) }, record);
      const evaluation = evaluateGates(spec.gates, observation, spec.minRequests);
      const atIso = new Date(at).toISOString();
      // When the evaluation was made (the window's end, or later when the metrics came late).
      const madeAt = new Date(Math.max(at, deps.now())).toISOString();
      const intended = spec.steps[record.step].percentage;
      const versions = versionShares(record, intended, observation);
      const observed = versions.find((v) => v.target)?.observed;
      if (decidedStep !== record.step || !decidedAt) {
        decidedStep = record.step;
        decidedAt = evaluation.verdict === 'fail' ? madeAt : '';
      }
      deciding = madeAt;
      deps.emit?.({
        type: 'evaluation',
        step: record.step,
        at: atIso,
        madeAt,
        evaluation,
        share: { intended, ...(observed !== undefined ? { observed } : {}) },
        versions,
        bakeEndsAt: new Date(startMs + (times.at(-1) ?? 0) * 1000).toISOString(),
      });
      for (const v of shares.update(record.step, versions)) {
        deps.emit?.({
          type: 'share-diverges',
          step: record.step,
          identifier: v.identifier,
          version: v.version,
          target: v.target,
          intended: v.intended,
          observed: v.observed as number,
        });
      }
      const decision = decideStep({
        evaluation,
        failures: record.failures,
        failureLimit: spec.failureLimit,
        atBakeEnd: nextTime === times.at(-1),
        onInconclusive: spec.onInconclusive,
      });
      action = decision.action;
      reason = decision.reason;
      const open = evaluation.gates.filter((g) => g.verdict !== 'pass').map((g) => g.gate);
      next = withHistory(
        { ...record, failures: decision.failures },
        { step: record.step, at: atIso, verdict: evaluation.verdict, ...(open.length ? { gates: open } : {}) },
      );
    }
    // Every write re-reads: what was read before the sleep may be stale.
    const fresh = await readRolloutState(deps.session, deps.domains);
    const freshRecord = currentRecord(fresh);
    if (
      !freshRecord ||
      freshRecord.id !== record.id ||
      freshRecord.step !== record.step ||
      freshRecord.status !== 'running'
    ) {
      // Another run (a --resume elsewhere, an --abort) changed the rollout meanwhile: follow it.
      if (!freshRecord || freshRecord.id !== record.id) {
        throw new OperationError(`The rollout ${record.id} was ended by another command`, {
          code: 'senza.rollout-ended-elsewhere',
        });
      }
      continue;
    }
    try {
      if (action === 'rollback') {
        await finishRollout(deps.session, fresh, 'revert');
        const why = reason ?? 'rolled back';
        const restoredAt = new Date(deps.now()).toISOString();
        deps.emit?.({ type: 'rolled-back', record: next, reason: why, decidedAt: decidedAt || deciding, restoredAt });
        return { outcome: 'rolled back', exitCode: EXIT.FAILED, reason: why, record: next };
      }
      if (action === 'pause') return await pause(deps, fresh, next, reason ?? 'paused');
      if (action === 'continue') {
        await updateRollout(deps.session, fresh, next);
        continue;
      }
      if (last) {
        await finishRollout(deps.session, fresh, 'promote');
        deps.emit?.({ type: 'promoted', record: next });
        return { outcome: 'promoted', exitCode: EXIT.OK, record: next };
      }
      const stepped: RolloutRecord = {
        ...next,
        step: record.step + 1,
        stepStartedAt: new Date(deps.now()).toISOString(),
        failures: 0,
      };
      await updateRollout(deps.session, fresh, stepped);
      deps.emit?.({
        type: 'step',
        step: stepped.step,
        percentage: spec.steps[stepped.step].percentage,
        record: stepped,
      });
    } catch (e) {
      if (e instanceof StupsError && e.code === 'senza.rollout-manual-change') {
        const again = await readRolloutState(deps.session, deps.domains);
        const now = currentRecord(again);
        if (now && now.id === record.id) return pause(deps, again, now, e.message);
      }
      throw e;
    }
  }
}

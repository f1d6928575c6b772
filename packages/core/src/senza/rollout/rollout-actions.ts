/**
 * The rollout's writes to Route53: start, step, record update, finish (promote or exact revert).
 * Each is one compare-and-set batch per hosted zone holding the rollout record and the weights
 * (rollout-store), after checking that the live weights are still the ones the record expects.
 */
import type { AwsSession } from '../../aws/aws-session.js';
import { type HostedZoneRef, listHostedZones } from '../../aws/hosted-zones.js';
import { EXIT, OperationError, StupsError } from '../../errors.js';
import { isChangeConflict } from '../traffic/apply-traffic.js';
import { normalizeDnsName, type WeightedRecord, weightedRecordsByName } from '../traffic/route53-records.js';
import type { DomainWeights } from '../traffic/traffic-plan.js';
import { type RolloutRecord, recordStepWeights } from './rollout-record.js';
import {
  liveDomainWeights,
  manuallyChangedDomains,
  readStoredRecord,
  rolloutBatches,
  type StoredRecord,
  type TxtChange,
  weightChangesTo,
  writeRolloutBatches,
} from './rollout-store.js';

/** What a rollout reads before every write. */
export interface RolloutState {
  domains: string[];
  /** Weighted records per main domain (normalized). */
  records: Map<string, WeightedRecord[]>;
  /** The rollout TXT records found, one per (zone, domain) that holds weighted records. */
  stored: StoredRecord[];
  /** The (zone, domain) pairs that hold the domain's weighted records: where the TXT record lives. */
  places: { zoneId: string; zoneName: string; domain: string }[];
}

export async function readRolloutState(
  session: AwsSession,
  domains: string[],
  zones?: HostedZoneRef[],
): Promise<RolloutState> {
  const allZones = zones ?? (await listHostedZones(session));
  const normalized = [...new Set(domains.map(normalizeDnsName))];
  const records = await weightedRecordsByName(session, normalized, allZones);
  const places: RolloutState['places'] = [];
  for (const domain of normalized) {
    const seen = new Set<string>();
    for (const r of records.get(domain) ?? []) {
      if (seen.has(r.zoneId)) continue;
      seen.add(r.zoneId);
      places.push({ zoneId: r.zoneId, zoneName: r.zoneName, domain });
    }
  }
  const stored = (
    await Promise.all(places.map((p) => readStoredRecord(session, { id: p.zoneId, name: p.zoneName }, p.domain)))
  ).filter((s): s is StoredRecord => s !== undefined);
  return { domains: normalized, records, stored, places };
}

/** The live weights of every domain. */
export function liveWeights(state: RolloutState): DomainWeights[] {
  return state.domains.map((d) => liveDomainWeights(d, state.records.get(d) ?? []));
}

/** The one rollout record of the state (its copies in several zones are equal), if any. */
export function currentRecord(state: RolloutState): RolloutRecord | undefined {
  return state.stored.find((s) => s.record)?.record;
}

function alreadyRunning(domains: string[], record?: RolloutRecord, cause?: unknown): OperationError {
  const who = record
    ? `${record.target} (started ${record.history[0]?.at ?? record.stepStartedAt})`
    : 'another rollout';
  return new OperationError(`A rollout is already running on ${domains.join(', ')}: ${who}`, {
    code: 'senza.rollout-running',
    hint: record
      ? `See senza traffic ${record.name} --status; end it with --abort or continue it with --resume.`
      : 'See senza traffic NAME --status.',
    ...(cause ? { cause } : {}),
  });
}

/** Weights changed by hand during the rollout (exit 4): the rollout stops instead of fighting them. */
export class ManualChangeError extends StupsError {
  constructor(message: string, hint: string) {
    super('senza.rollout-manual-change', EXIT.PAUSED, message, { hint });
  }
}

/** Throws {@link ManualChangeError} when the live weights are not the record's current step. */
export function checkNoManualChange(state: RolloutState, record: RolloutRecord): void {
  const changed = manuallyChangedDomains(recordStepWeights(record), state.records);
  if (changed.length > 0) {
    const show = (d: DomainWeights) => d.weights.map((w) => `${w.identifier}=${w.weight}`).join(' ');
    throw new ManualChangeError(
      `The weights of ${changed.map((c) => c.domain).join(', ')} were changed outside the rollout (expected ${show(changed[0].expected)}, found ${show(changed[0].live)}): the rollout stops`,
      `Decide: senza traffic ${record.name} --abort writes back the weights from before the rollout; --resume continues once the weights are the rollout's again.`,
    );
  }
}

function txtChanges(state: RolloutState, next: RolloutRecord | undefined): TxtChange[] {
  return state.places.map((p) => {
    const old = state.stored.find((s) => s.zoneId === p.zoneId && s.domain === p.domain);
    return { ...p, ...(old ? { old: old.rrset } : {}), ...(next ? { next } : {}) };
  });
}

async function write(
  session: AwsSession,
  state: RolloutState,
  next: RolloutRecord | undefined,
  weights: DomainWeights[] | undefined,
  comment: string,
): Promise<void> {
  const changes = weights ? weightChangesTo(weights, state.records) : [];
  try {
    await writeRolloutBatches(session, rolloutBatches(txtChanges(state, next), changes), comment);
  } catch (e) {
    if (isChangeConflict(e)) {
      throw new ManualChangeError(
        `The weights or the rollout record of ${state.domains.join(', ')} changed while the rollout wrote them: nothing applied, the rollout stops`,
        'Another command changed them at the same moment; look at senza traffic NAME --status.',
      );
    }
    throw e;
  }
}

/**
 * Starts: the record (CREATE: Route53 refuses it when a rollout already has one) and the first
 * step's weights, from the live weights (which become the record's `start`).
 */
export async function startRollout(session: AwsSession, state: RolloutState, record: RolloutRecord): Promise<void> {
  if (state.stored.length > 0) throw alreadyRunning(state.domains, currentRecord(state));
  if (state.places.length === 0) {
    throw new OperationError(`${state.domains.join(', ')} has no weighted records: nothing to roll out`, {
      code: 'senza.rollout-no-records',
    });
  }
  try {
    await writeRolloutBatches(
      session,
      rolloutBatches(txtChanges(state, record), weightChangesTo(recordStepWeights(record, record.step), state.records)),
      `senza rollout ${record.id}: start`,
    );
  } catch (e) {
    if (isChangeConflict(e)) throw alreadyRunning(state.domains, undefined, e);
    throw e;
  }
}

/** A new record; when its step differs from the stored one, that step's weights go with it. */
export async function updateRollout(session: AwsSession, state: RolloutState, next: RolloutRecord): Promise<void> {
  const record = currentRecord(state);
  if (!record || record.id !== next.id) throw alreadyRunning(state.domains, record);
  checkNoManualChange(state, record);
  const weights = next.step !== record.step ? recordStepWeights(next) : undefined;
  await write(session, state, next, weights, `senza rollout ${next.id}: step ${next.step}`);
}

/**
 * Ends the rollout: the record is removed; `revert` writes back the start weights of every version
 * (exactly), `promote` keeps the last step's. With `force` (--abort after a manual change) the
 * live weights are not compared with the record's, only set (compare-and-set on what was read).
 */
export async function finishRollout(
  session: AwsSession,
  state: RolloutState,
  how: 'promote' | 'revert',
  options: { force?: boolean } = {},
): Promise<RolloutRecord> {
  const record = currentRecord(state);
  if (!record) {
    throw new OperationError(`No rollout is running on ${state.domains.join(', ')}`, { code: 'senza.rollout-none' });
  }
  if (!options.force) checkNoManualChange(state, record);
  await write(
    session,
    state,
    undefined,
    how === 'revert' ? record.start : undefined,
    `senza rollout ${record.id}: ${how}`,
  );
  return record;
}

export interface NewRolloutInput {
  id: string;
  name: string;
  target: string;
  version: string;
  versions: RolloutRecord['versions'];
  spec: RolloutRecord['spec'];
  /** ISO time. */
  now: string;
}

/** The record of a rollout that starts now on the live weights of `state` (its first step). */
export function newRolloutRecord(state: RolloutState, input: NewRolloutInput): RolloutRecord {
  return {
    format: 1,
    id: input.id,
    name: input.name,
    target: input.target,
    version: input.version,
    start: liveWeights(state),
    versions: input.versions,
    spec: input.spec,
    step: 0,
    stepStartedAt: input.now,
    failures: 0,
    status: 'running',
    history: [],
  };
}

import type { AwsSession } from '../../aws/aws-session.js';
import { isOutcomeUnknown } from '../../aws/outcome-unknown.js';
import { OperationError, StupsError } from '../../errors.js';
import { type IoHost, silentHost, withSpan } from '../../io/messages.js';
import { applyTrafficChanges, isChangeConflict } from './apply-traffic.js';
import { recordsOfStack, removeDeletedVersionRecords, removeLeftovers } from './leftover-records.js';
import { type RecordChange, revertedChange } from './record-changes.js';
import { weightedRecordsByName } from './route53-records.js';
import { checkTrafficChange, shiftsTrafficToTarget } from './traffic-checks.js';
import { type PreparedTrafficChange, prepareTrafficChange, type TrafficChangeRequest } from './traffic-command.js';
import { describeStackFamily } from './traffic-discovery.js';
import { publishTrafficChange } from './traffic-notify.js';
import { readBackOutcome } from './traffic-outcome.js';
import { removedMessage } from './traffic-plan.js';

export interface TrafficSwitchRequest extends Omit<TrafficChangeRequest, 'host'> {
  host?: IoHost;
  /** Skip the refusals (no traffic left, target not ready or unhealthy); never the one of a deleting target. */
  force?: boolean;
  /** Plan only: read, plan and check (a refusal becomes a warning), change nothing. */
  planOnly?: boolean;
  /** Route53 change comment. */
  comment?: string;
  /** Attempts when another change of the records comes first (compare-and-set lost). Default 5. */
  attempts?: number;
  /** For tests: the pause before another attempt. */
  sleep?: (ms: number) => Promise<void>;
}

export interface TrafficSwitchResult extends PreparedTrafficChange {
  /** `planned` (plan only), `applied`, or `unchanged` (nothing to write: the weights already are so). */
  outcome: 'planned' | 'applied' | 'unchanged';
  /** How many times the weights were read and planned (more than 1 after losing a race). */
  attempts: number;
}

const DEFAULT_ATTEMPTS = 5;
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `senza traffic NAME VERSION PERCENTAGE` as one action: read, plan (pure), check, apply, publish.
 *
 * Concurrency: the apply is a compare-and-set on the records read. When another command changed them in
 * between, Route53 rejects the whole batch; the switch then reads and plans again (bounded, with a
 * random pause), and after the last attempt fails saying that other changes kept coming first. After
 * applying, the target is looked at again: when it began deleting meanwhile, the change is set back and
 * the switch fails (the deletion would otherwise take the traffic along).
 */
export async function switchTraffic(session: AwsSession, request: TrafficSwitchRequest): Promise<TrafficSwitchResult> {
  const host = request.host ?? silentHost;
  const attempts = Math.max(1, request.attempts ?? DEFAULT_ATTEMPTS);
  const sleep = request.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    // Waiting (-t) is for the first read only; a later attempt reads the family afresh.
    let prepared = await prepareTrafficChange(session, {
      ...request,
      host,
      timeoutSeconds: attempt === 1 ? request.timeoutSeconds : undefined,
    });
    // A record whose stack is gone (CloudFormation left it) is removed first, then the switch reads again.
    if (await removeDeletedVersionRecords(session, prepared.state, { host, planOnly: request.planOnly })) {
      prepared = await prepareTrafficChange(session, { ...request, host, timeoutSeconds: undefined });
    }
    announcePlan(host, prepared);
    if (request.planOnly) {
      await previewRefusals(session, prepared, Boolean(request.force), host);
      return { ...prepared, outcome: 'planned', attempts: attempt };
    }
    const applied = await notAppliedOnFailure(host, prepared, async () => {
      for (const note of await checkTrafficChange(session, prepared.plan, prepared.state, { force: request.force })) {
        host.notify(note);
      }
      return setWeights(session, host, prepared, request.comment);
    });
    if (applied === 'conflict') {
      if (attempt >= attempts) {
        notApplied(host, prepared);
        throw new OperationError(
          `Another change of the weights of ${domainsOf(prepared)} came first ${attempts} times: nothing applied`,
          {
            code: 'senza.traffic-lost-race',
            hint: `Look at the weights now (senza traffic ${prepared.state.name}), then run the command again.`,
          },
        );
      }
      host.notify({
        level: 'info',
        code: 'senza.traffic-conflict',
        text: `Another change of the weights came first: reading them again (attempt ${attempt + 1} of ${attempts})`,
        data: { attempt: attempt + 1, attempts },
      });
      await sleep(50 + Math.floor(Math.random() * 200 * attempt));
      continue;
    }
    if (applied === 'unchanged') return { ...prepared, outcome: 'unchanged', attempts: attempt };
    await setBackIfTargetDeleting(session, prepared, host);
    for (const w of await publishTrafficChange(session, prepared.state.family, prepared.rows)) host.notify(w);
    return { ...prepared, outcome: 'applied', attempts: attempt };
  }
}

function domainsOf(prepared: PreparedTrafficChange): string {
  return prepared.plan.domains.map((d) => d.domain).join(', ');
}

/** The removed domains, then the calculation (with its compensation warnings) as a span. */
function announcePlan(host: IoHost, { plan }: PreparedTrafficChange): void {
  const removed = plan.domains.filter((d) => d.removed).map((d) => d.domain);
  if (removed.length > 0) {
    host.notify({
      level: 'info',
      code: 'senza.traffic-domain-removed',
      text: removedMessage(removed),
      data: { domains: removed },
    });
  }
  if (removed.length === plan.domains.length) return;
  const id = 'senza.traffic-calculating';
  // The plan is pure and already made: the span only brackets its warnings, as the original printed them.
  host.notify({ level: 'info', code: id, text: 'Calculating new weights..', span: { id, phase: 'start' } });
  for (const d of plan.domains) {
    if (d.warning) {
      host.notify({ level: 'info', code: 'senza.traffic-compensated', text: d.warning, data: { domain: d.domain } });
    }
  }
  host.notify({ level: 'info', code: id, text: 'OK', span: { id, phase: 'end', outcome: 'ok' } });
}

/** Writes the weights; `conflict` when another change of the records came first (nothing written). */
function setWeights(
  session: AwsSession,
  host: IoHost,
  prepared: PreparedTrafficChange,
  comment: string | undefined,
): Promise<'applied' | 'unchanged' | 'conflict'> {
  const { plan, changes } = prepared;
  const domains = plan.domains.map((d) => d.domain);
  return withSpan(
    host,
    {
      code: 'senza.traffic-setting-weights',
      // Without the FQDN's final dot: `name... OK` read as a different style of progress line.
      text: `Setting weights for ${domains.map((d) => d.replace(/\.$/, '')).join(', ')}..`,
      data: { domains },
    },
    async (span) => {
      if (changes.length === 0) {
        span.skip('not changed');
        return 'unchanged';
      }
      try {
        await applyTrafficChanges(session, changes, comment);
        return 'applied';
      } catch (e) {
        if (isOutcomeUnknown(e)) return readBack(session, host, prepared, e);
        if (!isChangeConflict(e)) throw e;
        span.skip('changed meanwhile by another command');
        return 'conflict';
      }
    },
  );
}

/**
 * The answer to the change was lost (a timeout, a dropped connection): Route 53 may have applied it.
 * The records are read back and what they hold is told: applied (the switch goes on), not applied (the
 * error goes on), partly or unknown (an error saying so, never "NOT applied").
 */
async function readBack(session: AwsSession, host: IoHost, prepared: PreparedTrafficChange, e: unknown) {
  const outcome = await readBackOutcome(session, prepared.changes);
  if (outcome === 'not-applied') throw e;
  const domains = domainsOf(prepared);
  if (outcome === 'applied') {
    host.notify({
      level: 'warn',
      code: 'senza.traffic-read-back',
      text: `The answer to the change was lost (${(e as Error).message}); read back from Route 53: the new weights are applied`,
      data: { outcome },
    });
    return 'applied' as const;
  }
  throw new OperationError(
    outcome === 'partly'
      ? `The weights of ${domains} were applied only partly: the answer was lost (${(e as Error).message}) and Route 53 holds some new and some old weights`
      : `Whether the new weights of ${domains} were applied is unknown: the answer was lost (${(e as Error).message}) and reading them back failed too`,
    {
      code: outcome === 'partly' ? 'senza.traffic-partly-applied' : 'senza.traffic-outcome-unknown',
      hint: `Look at the weights (senza traffic ${prepared.state.name}), then run the command again to set them.`,
      cause: e,
    },
  );
}

/** Any failure of the check or the apply first tells the plan as not applied (then the error goes on). */
async function notAppliedOnFailure<T>(host: IoHost, prepared: PreparedTrafficChange, work: () => Promise<T>) {
  try {
    return await work();
  } catch (e) {
    const code = e instanceof StupsError ? e.code : undefined;
    // After a lost answer the plan is told only when it is known not to be applied.
    const undecided = code === 'senza.traffic-partly-applied' || code === 'senza.traffic-outcome-unknown';
    if (prepared.changes.length > 0 && !undecided) notApplied(host, prepared);
    throw e;
  }
}

function notApplied(host: IoHost, { columns, rows }: PreparedTrafficChange): void {
  host.notify({
    level: 'warn',
    code: 'senza.traffic-not-applied',
    text: 'These new weights were NOT applied:',
    data: { columns, rows },
  });
}

/** In a preview a refusal is told, not raised: the preview itself succeeded. */
async function previewRefusals(
  session: AwsSession,
  { plan, state }: PreparedTrafficChange,
  force: boolean,
  host: IoHost,
): Promise<void> {
  try {
    for (const note of await checkTrafficChange(session, plan, state, { force })) host.notify(note);
  } catch (e) {
    const err = e as Error & { hint?: string; code?: string };
    host.notify({
      level: 'warn',
      code: 'senza.traffic-would-refuse',
      text: `Would be refused: ${err.message}${err.hint ? ` (${err.hint})` : ''}`,
      data: { refusal: e instanceof StupsError ? e.code : undefined },
    });
  }
}

/**
 * The target is looked at once more after the weights are set (a delete may have begun after the
 * check). When it is being deleted, or gone, the records changed are set back where they still hold
 * the new weight (compare-and-set), and the switch fails.
 */
async function setBackIfTargetDeleting(
  session: AwsSession,
  { plan, state, changes }: PreparedTrafficChange,
  host: IoHost,
) {
  if (!shiftsTrafficToTarget(plan)) return;
  const now = (await describeStackFamily(session, state.name)).find((s) => s.stackName === state.target.stackName);
  if (now && !now.status.startsWith('DELETE_')) return;
  const status = now?.status ?? 'DELETE_COMPLETE';
  const live = await weightedRecordsByName(session, [...new Set(changes.map((c) => c.name))]);
  const back: RecordChange[] = [];
  for (const c of changes) {
    const r = live
      .get(c.name)
      ?.find((x) => x.zoneId === c.zoneId && x.type === c.type && x.setIdentifier === c.setIdentifier);
    if (r && r.weight === c.newWeight) back.push(revertedChange({ ...c, record: r.record }));
  }
  let outcome = 'the change was set back';
  try {
    const target = state.target.stackName;
    if (status === 'DELETE_COMPLETE') {
      // Deleted with the weight it had (not what CloudFormation stored): CloudFormation left the record,
      // an alias to a load balancer that is gone (Route53 refuses to write it again): it is removed.
      const left = await recordsOfStack(session, target, [...new Set(changes.map((c) => c.name))]);
      await removeLeftovers(session, left, {
        code: 'senza.traffic-left-record-removed',
        host,
        comment: `senza traffic: ${target} is deleted`,
      });
    }
    const others = status === 'DELETE_COMPLETE' ? back.filter((c) => c.setIdentifier !== target) : back;
    await applyTrafficChanges(session, others, `senza traffic: set back, ${target} is ${status}`);
  } catch (e) {
    outcome = `setting the change back failed too (${(e as Error).message})`;
  }
  throw new OperationError(
    `Stack ${state.target.stackName} began deleting (${status}) while traffic was shifted to it: ${outcome}`,
    {
      code: 'senza.traffic-target-deleted',
      hint: `Look at the weights (senza traffic ${state.name}) and shift traffic to a version that stays.`,
    },
  );
}

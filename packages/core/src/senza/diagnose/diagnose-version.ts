import { CancelUpdateStackCommand, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import type { AwsSession } from '../../aws/aws-session.js';
import { AbortedError } from '../../errors.js';
import type { IoHost } from '../../io/messages.js';
import { abortableSleep, type Sleep } from '../../io/poll-schedule.js';
import {
  type StackOperation,
  type WatchResult,
  type WatchTarget,
  watchStacks,
} from '../stacks/watch/stack-events-watch.js';
import { type ClassifyOptions, classify, type Verdict } from './classify.js';
import { type CollectOptions, EvidenceCollector } from './collect-evidence.js';

/** How many readings of a diagnosed watch come at the short interval before it backs off. */
const FAST_READINGS = 30;

/** What a diagnosis found: the verdicts (the first is the cause) and the sources it could not read. */
export interface Diagnosis {
  stackName: string;
  /** undefined: there is no such stack. */
  stackStatus?: string;
  verdicts: Verdict[];
  unavailable: Record<string, string>;
}

export interface DiagnoseOptions extends CollectOptions {
  classify?: ClassifyOptions;
  /** How often the evidence is read when a failing health answer needs repeating (default 3). */
  samples?: number;
  /**
   * Between two of those readings (default 1000 ms): the load balancer's answer already sums up
   * UnhealthyThreshold failed checks; the readings only confirm it stands, and a verdict comes within
   * a few seconds of the answer (issue 19: within 5 s of the fault being observable).
   */
  sampleIntervalMs?: number;
  sleep?: Sleep;
  signal?: AbortSignal;
}

const failingNow = (e: { health: { state: string; reasonCode?: string }[] }) =>
  e.health.some((h) => /^(outofservice|unhealthy)$/i.test(h.state) && h.reasonCode !== 'ELB');

/**
 * `senza diagnose`: the evidence of a version in any state, read once; read again (up to `samples`
 * times) while the only sign is a failing health answer, which counts only when repeated.
 */
export async function diagnoseVersion(
  session: AwsSession,
  name: string,
  version: string,
  options: DiagnoseOptions = {},
): Promise<Diagnosis> {
  const collector = new EvidenceCollector(session.withSignal(options.signal), name, version, options);
  const samples = options.samples ?? 3;
  const sleep = options.sleep ?? abortableSleep;
  for (let sample = 1; ; sample++) {
    const evidence = await collector.collect();
    const verdicts = classify(evidence, options.classify);
    if (verdicts.length > 0 || sample >= samples || !failingNow(evidence))
      return {
        stackName: collector.stackName,
        stackStatus: evidence.stackStatus,
        verdicts,
        unavailable: Object.fromEntries(collector.unavailable),
      };
    await sleep(options.sampleIntervalMs ?? 1000, options.signal);
  }
}

export interface DiagnosedWatchOptions {
  operation: 'create' | 'update';
  host?: IoHost;
  signal?: AbortSignal;
  /** Between two readings of the evidence (default 2000 ms). */
  intervalMs?: number;
  sleep?: Sleep;
  collect?: CollectOptions;
  classify?: ClassifyOptions;
}

/** The end of a diagnosed watch: CloudFormation's result, or the verdict that came first (or after a failure). */
export interface DiagnosedWatch {
  result?: WatchResult;
  verdict?: Verdict;
}

/**
 * `create/update --wait`: follows the stack's events and, alongside, reads the version's evidence
 * every few seconds. As soon as the evidence makes a cause certain the watch ends with that verdict,
 * without waiting for CloudFormation's timeout; when CloudFormation fails first, the evidence is read
 * once more for the verdict. Ctrl-C ends both with AbortedError.
 */
export async function watchWithDiagnosis(
  session: AwsSession,
  target: WatchTarget,
  ref: { name: string; version: string },
  options: DiagnosedWatchOptions,
): Promise<DiagnosedWatch> {
  const stop = new AbortController();
  const outer = options.signal;
  const onOuter = () => stop.abort();
  outer?.addEventListener('abort', onOuter, { once: true });
  const sleep = options.sleep ?? abortableSleep;
  const collector = new EvidenceCollector(session.withSignal(stop.signal), ref.name, ref.version, {
    ...options.collect,
    afterEventId: target.afterEventId,
  });
  let verdict: Verdict | undefined;
  const interval = options.intervalMs ?? 2000;
  const diagnosing = (async () => {
    // Every reading costs about ten calls: often while a fault is most likely (the first minute), then
    // five times less often, so that a long deployment stays well inside the APIs' rate limits.
    for (let reading = 0; !stop.signal.aborted; reading++) {
      await sleep(reading < FAST_READINGS ? interval : interval * 5, stop.signal);
      const found = classify(await collector.collect(), options.classify)[0];
      if (found && !stop.signal.aborted) {
        verdict = found;
        stop.abort();
      }
    }
  })().catch((e) => {
    if (!(e instanceof AbortedError) && !stop.signal.aborted) throw e;
  });
  try {
    const result = await watchStacks([target], session, {
      operation: options.operation,
      host: options.host,
      signal: stop.signal,
    });
    stop.abort();
    await diagnosing;
    if (result.ok) return { result };
    // CloudFormation gave up first: what does the evidence say now?
    const after = new EvidenceCollector(session.withSignal(outer), ref.name, ref.version, {
      ...options.collect,
      afterEventId: target.afterEventId,
    });
    return { result, verdict: verdict ?? classify(await after.collect(), options.classify)[0] };
  } catch (e) {
    stop.abort();
    await diagnosing;
    if (verdict && !outer?.aborted) return { verdict };
    throw e;
  } finally {
    outer?.removeEventListener('abort', onOuter);
  }
}

/**
 * `--fail-fast`: ends the new version's deployment: a creation is deleted (DeleteStack also stops a
 * creation in progress), an update is cancelled (CloudFormation rolls it back). Returns what was done.
 */
export async function cancelDeployment(
  session: AwsSession,
  stackId: string,
  stackName: string,
  operation: StackOperation,
): Promise<'deleted' | 'cancelled'> {
  if (operation === 'update') {
    await session.send('cloudformation', new CancelUpdateStackCommand({ StackName: stackId }), stackName);
    return 'cancelled';
  }
  await session.send('cloudformation', new DeleteStackCommand({ StackName: stackId }), stackName);
  return 'deleted';
}

/** Without --fail-fast: the command that ends the failing deployment by hand. */
export function cancelCommand(stackName: string, operation: StackOperation, region?: string): string {
  const i = stackName.lastIndexOf('-');
  const ref = `${stackName.slice(0, i)} ${stackName.slice(i + 1)}`;
  const r = region ? ` --region ${region}` : '';
  return operation === 'update'
    ? `aws cloudformation cancel-update-stack --stack-name ${stackName}${r}`
    : `senza delete ${ref}${r}`;
}

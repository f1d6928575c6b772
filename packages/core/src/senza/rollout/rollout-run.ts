/**
 * The AWS side of a rollout run: which load balancers the gates read, the observer the loop calls,
 * starting a rollout on a stack family, and the plan of a whole rollout (pure).
 */
import type { StackResourceSummary } from '@aws-sdk/client-cloudformation';
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { AwsSession } from '../../aws/aws-session.js';
import { OperationError } from '../../errors.js';
import { listStackResources } from '../stacks/read/stack-resources.js';
import { readTrafficState } from '../traffic/traffic-discovery.js';
import type { DomainWeights } from '../traffic/traffic-plan.js';
import { newRolloutRecord, readRolloutState, startRollout } from './rollout-actions.js';
import { checkRevertCapacity } from './rollout-capacity.js';
import { fetchAlarmStates, fetchWindowCounts, type MetricSource, metricQueries } from './rollout-metrics.js';
import type { RolloutRecord } from './rollout-record.js';
import { parseRolloutSpec, type RolloutSpec, type RolloutSpecInput, rolloutDuration } from './rollout-spec.js';
import { losingIdentifiers, planStepWeights } from './rollout-steps.js';
import { type Counts, type Observation, sumCounts } from './verdict.js';

/**
 * The load balancers of a stack as CloudWatch names them: a classic ELB by its name, an ALB by the
 * `app/<name>/<id>` end of its ARN (the `LoadBalancer` dimension).
 */
export function metricSourcesOf(identifier: string, resources: StackResourceSummary[]): MetricSource[] {
  return resources.flatMap((r): MetricSource[] => {
    const id = r.PhysicalResourceId;
    if (!id) return [];
    if (r.ResourceType === 'AWS::ElasticLoadBalancing::LoadBalancer')
      return [{ identifier, kind: 'elb', dimension: id }];
    if (r.ResourceType === 'AWS::ElasticLoadBalancingV2::LoadBalancer') {
      const m = /:loadbalancer\/(app\/[^/]+\/[^/]+)$/.exec(id);
      return m ? [{ identifier, kind: 'alb', dimension: m[1] }] : [];
    }
    return [];
  });
}

/** The metric sources of the target and of every version losing traffic. */
export async function rolloutMetricSources(session: AwsSession, record: RolloutRecord): Promise<MetricSource[]> {
  const ids = [record.target, ...losingIdentifiers(record.start, record.target)];
  const perStack = await Promise.all(ids.map(async (id) => metricSourcesOf(id, await listStackResources(session, id))));
  return perStack.flat();
}

/** The observation of a window from the counts per identifier. */
export function observationOf(
  record: RolloutRecord,
  counts: Map<string, Counts>,
  alarms: Observation['alarms'],
): Observation {
  const ids = [record.target, ...losingIdentifiers(record.start, record.target)];
  const versions = Object.fromEntries(ids.map((id) => [id, counts.get(id) ?? { requests: 0, errors: 0 }]));
  return {
    label: record.version,
    target: versions[record.target],
    baseline: sumCounts(ids.slice(1).map((id) => versions[id])),
    versions,
    ...(alarms ? { alarms } : {}),
  };
}

/** The loop's observer on AWS: GetMetricData of the window (60 s periods) and DescribeAlarms. */
export function awsObserver(session: AwsSession) {
  let sources: MetricSource[] | undefined;
  return async (window: { start: Date; end: Date }, record: RolloutRecord): Promise<Observation> => {
    sources ??= await rolloutMetricSources(session, record);
    const spec = parseRolloutSpec(record.spec);
    const alarmNames = spec.gates.flatMap((g) => (g.type === 'alarm' ? [g.alarmName] : []));
    const [counts, alarms] = await Promise.all([
      fetchWindowCounts(session, sources, { ...window, periodSeconds: 60 }),
      fetchAlarmStates(session, alarmNames),
    ]);
    return observationOf(record, counts, alarmNames.length ? alarms : undefined);
  };
}

export interface RolloutPlan {
  target: string;
  steps: { percentage: number; bakeSeconds: number; domains: DomainWeights[] }[];
  /** The weights a revert writes back. */
  revert: DomainWeights[];
  gates: string[];
  queries: MetricDataQuery[];
  alarms: string[];
  minSeconds: number;
  maxSeconds: number;
}

/** Every step's weights, the revert, the gates' metric queries and the duration: pure and deterministic. */
export function planRollout(
  spec: RolloutSpec,
  start: DomainWeights[],
  versions: RolloutRecord['versions'],
  target: string,
  sources: MetricSource[],
): RolloutPlan {
  const steps = planStepWeights(
    start,
    versions,
    target,
    spec.steps.map((s) => s.percentage),
  );
  const { minSeconds, maxSeconds } = rolloutDuration(spec);
  return {
    target,
    steps: steps.map((s, i) => ({
      percentage: s.percentage,
      bakeSeconds: spec.steps[i].bakeSeconds ?? (s.percentage === 100 ? spec.finalBakeSeconds : spec.bakeSeconds),
      domains: s.domains,
    })),
    revert: start,
    gates: spec.gates.map((g) => g.text),
    queries: metricQueries(sources, 60),
    alarms: spec.gates.flatMap((g) => (g.type === 'alarm' ? [g.alarmName] : [])),
    minSeconds,
    maxSeconds,
  };
}

export interface StartRolloutInput {
  name: string;
  version: string;
  spec: RolloutSpecInput;
  id: string;
  now: string;
}

/**
 * Starts a rollout on the stack family: reads the family and the weights, refuses when a version
 * losing traffic could not take it back, writes the record with the first step. Returns the record.
 */
export async function startStackRollout(session: AwsSession, input: StartRolloutInput): Promise<RolloutRecord> {
  const spec = parseRolloutSpec(input.spec);
  const traffic = await readTrafficState(session, input.name, input.version);
  const t = traffic.target;
  if (t.status !== 'CREATE_COMPLETE' && t.status !== 'UPDATE_COMPLETE') {
    throw new OperationError(`Stack ${t.stackName} is ${t.status}: no rollout to it`, {
      code: 'senza.rollout-target-not-ready',
      hint: `Wait for it (senza wait ${t.name} ${t.version}).`,
    });
  }
  const state = await readRolloutState(
    session,
    traffic.domains.map((d) => d.domain),
  );
  await checkRevertCapacity(session, losingIdentifiers(traffic.domains, t.identifier));
  const record = newRolloutRecord(state, {
    id: input.id,
    name: traffic.name,
    target: t.identifier,
    version: t.version,
    versions: traffic.versions,
    spec: {
      steps: input.spec.steps,
      bake: input.spec.bake ?? `${spec.bakeSeconds}s`,
      finalBake: input.spec.finalBake ?? `${spec.finalBakeSeconds}s`,
      gates: spec.gates.map((g) => g.text),
      minRequests: spec.minRequests,
      interval: input.spec.interval ?? `${spec.intervalSeconds}s`,
      failureLimit: spec.failureLimit,
      onInconclusive: spec.onInconclusive,
    },
    now: input.now,
  });
  await startRollout(session, state, record);
  return record;
}

/** The main domains of the family's rollout (those of the version given, else of the newest). */
export async function rolloutDomains(session: AwsSession, name: string, version?: string): Promise<string[]> {
  return (await readTrafficState(session, name, version)).domains.map((d) => d.domain);
}

/** `--plan`: reads the family, the weights and the load balancers; writes nothing. */
export async function planStackRollout(
  session: AwsSession,
  name: string,
  version: string,
  specInput: RolloutSpecInput,
): Promise<RolloutPlan> {
  const spec = parseRolloutSpec(specInput);
  const state = await readTrafficState(session, name, version);
  const target = state.target.identifier;
  const ids = [target, ...losingIdentifiers(state.domains, target)];
  const sources = (
    await Promise.all(ids.map(async (id) => metricSourcesOf(id, await listStackResources(session, id))))
  ).flat();
  return planRollout(spec, state.domains, state.versions, target, sources);
}

import type { AwsSession } from '../../aws/aws-session.js';
import type { IoHost } from '../../io/messages.js';
import { type RecordChange, trafficChanges } from './record-changes.js';
import { readTrafficState, type TrafficState } from './traffic-discovery.js';
import {
  planTraffic,
  TRAFFIC_CHANGE_COLUMNS,
  TRAFFIC_SHOW_COLUMNS,
  type TrafficPlan,
  type TrafficRow,
  trafficChangeRows,
  trafficShowRows,
  withDomainColumn,
} from './traffic-plan.js';
import { waitForStackFamily } from './wait-for-family.js';

/** `senza traffic NAME [VERSION]`: the current distribution as table columns and rows. */
export async function trafficDistribution(
  session: AwsSession,
  name: string,
  version?: string,
): Promise<{ columns: string[]; rows: TrafficRow[] }> {
  const state = await readTrafficState(session, name, version);
  const columns = withDomainColumn(
    version === undefined ? TRAFFIC_SHOW_COLUMNS : [...TRAFFIC_SHOW_COLUMNS, 'current'],
    state.domains.length,
  );
  const current = version === undefined ? undefined : state.target.identifier;
  return { columns, rows: trafficShowRows(state.name, state.versions, state.domains, current) };
}

export interface TrafficChangeRequest {
  name: string;
  version: string;
  percentage: number;
  /** First wait up to this long for other operations on the stack family (`-t`). */
  timeoutSeconds?: number;
  intervalSeconds?: number;
  /** Ctrl-C: stops the wait of `-t` and a request in flight. */
  signal?: AbortSignal;
  host: IoHost;
}

/** A planned switch: the new weights (as table rows) and the exact Route53 changes. Nothing applied. */
export interface PreparedTrafficChange {
  state: TrafficState;
  plan: TrafficPlan;
  columns: string[];
  rows: TrafficRow[];
  changes: RecordChange[];
}

/** `senza traffic NAME VERSION PERCENTAGE`, up to the plan: read, wait if asked, compute. */
export async function prepareTrafficChange(
  session: AwsSession,
  request: TrafficChangeRequest,
): Promise<PreparedTrafficChange> {
  const family =
    request.timeoutSeconds === undefined
      ? undefined
      : await waitForStackFamily(session, request.name, {
          timeoutSeconds: request.timeoutSeconds,
          intervalSeconds: request.intervalSeconds ?? 5,
          signal: request.signal,
          host: request.host,
        });
  const state = await readTrafficState(session, request.name, request.version, family);
  const plan = planTraffic({
    stackName: state.name,
    versions: state.versions,
    target: state.target.identifier,
    domains: state.domains,
    percentage: request.percentage,
  });
  return {
    state,
    plan,
    columns: withDomainColumn(TRAFFIC_CHANGE_COLUMNS, state.domains.length),
    rows: trafficChangeRows(plan),
    changes: trafficChanges(plan, state),
  };
}

import { compareCodePoints } from '../../../io/python-values.js';
import type { TableSpec } from '../../../io/table.js';

/** Explicit column titles of the original's stack tables; other titles come from the column key. */
export const STACK_TABLE_TITLES: Record<string, string> = {
  creation_time: 'Created',
  LogicalResourceId: 'Resource ID',
  launch_time: 'Launched',
  ResourceStatus: 'Status',
  ResourceStatusReason: 'Status Reason',
  lb_status: 'LB Status',
  private_ip: 'Private IP',
  public_ip: 'Public IP',
  resource_id: 'Resource ID',
  instance_id: 'Instance ID',
  version: 'Ver.',
  total_instances: 'Inst.#',
  running_instances: 'Running',
  docker_source: 'Docker Image Source',
  healthy_instances: 'Healthy',
  http_status: 'HTTP',
  main_dns: 'Main DNS',
  id: 'ID',
  ImageId: 'Image ID',
  OwnerId: 'Owner',
  healthy_hosts: 'Healthy #',
  requests_per_sec: 'Req./s',
  '4xx_percentage': '4xx %',
  '5xx_percentage': '5xx %',
  latency_ms: 'Latency (ms)',
  requests_5m: 'Requests (5 min)',
  '5xx_5m': '5xx (5 min)',
  latency_5m_ms: 'Latency (5 min, ms)',
};

const MAX_WIDTHS = { description: 50, stacks: 20, ResourceStatusReason: 50 };

interface Fit {
  maxWidths?: Record<string, number>;
  /** Free text cut on a narrow terminal. */
  shrink?: string[];
  /** Columns left out, in this order, when cutting is not enough (see `TableSpec.drop`). */
  drop?: string[];
}

/** `senza instances`' columns up to the LB status, and those that give way on a narrow terminal. */
const INSTANCE_COLUMNS = [
  'stack_name',
  'version',
  'resource_id',
  'instance_id',
  'public_ip',
  'private_ip',
  'state',
  'lb_status',
];
const INSTANCE_DROP = ['public_ip', 'resource_id', 'launch_time'];

function table(columns: string[], fit: Fit = {}): TableSpec {
  return { columns, titles: STACK_TABLE_TITLES, ...fit };
}

/**
 * The column sets of `senza list/events/resources/...`, in the original's order. In 80 columns a table
 * cuts its free text (descriptions, reasons, resource types) and then drops what another command shows
 * (public IPs, resource ids, times); stack names, versions, ids, addresses and states are never cut.
 */
export const STACK_TABLES = {
  list: table(['stack_name', 'version', 'status', 'creation_time', 'description'], {
    shrink: ['description'],
    drop: ['description'],
  }),
  events: table(
    [
      'stack_name',
      'version',
      'resource_type',
      'LogicalResourceId',
      'ResourceStatus',
      'ResourceStatusReason',
      'event_time',
    ],
    { maxWidths: MAX_WIDTHS, shrink: ['ResourceStatusReason', 'resource_type'], drop: ['resource_type', 'event_time'] },
  ),
  resources: table(['stack_name', 'version', 'LogicalResourceId', 'resource_type', 'ResourceStatus', 'creation_time'], {
    shrink: ['resource_type'],
    drop: ['creation_time'],
  }),
  instances: table([...INSTANCE_COLUMNS, 'launch_time'], { drop: INSTANCE_DROP }),
  /** `instances -d`: the image source next to the LB status (the original lost both to a column typo). */
  instancesWithDocker: table([...INSTANCE_COLUMNS, 'docker_source', 'launch_time'], {
    shrink: ['docker_source'],
    drop: INSTANCE_DROP,
  }),
  status: table(
    [
      'stack_name',
      'version',
      'status',
      'total_instances',
      'running_instances',
      'healthy_instances',
      'lb_status',
      'http_status',
      'main_dns',
    ],
    { shrink: ['lb_status'], drop: ['running_instances', 'main_dns'] },
  ),
  domains: table(['stack_name', 'version', 'resource_id', 'domain', 'weight', 'type', 'value', 'create_time']),
  health: table(
    [
      'stack_name',
      'version',
      'status',
      'healthy_hosts',
      'requests_per_sec',
      '4xx_percentage',
      '5xx_percentage',
      'latency_ms',
      'requests_5m',
      '5xx_5m',
      'latency_5m_ms',
    ],
    { drop: ['latency_5m_ms', '5xx_5m', 'requests_5m'] },
  ),
  images: table(['ImageId', 'Name', 'OwnerId', 'Description', 'stacks', 'total_instances', 'creation_time'], {
    maxWidths: MAX_WIDTHS,
    shrink: ['Description', 'stacks'],
    drop: ['OwnerId', 'Description'],
  }),
  imagesWithInstances: table(['ImageId', 'Name', 'OwnerId', 'Description', 'stacks', 'instances', 'creation_time'], {
    maxWidths: MAX_WIDTHS,
    shrink: ['Description', 'stacks'],
    drop: ['OwnerId', 'Description'],
  }),
} satisfies Record<string, TableSpec>;

/** Epoch seconds without the fraction, as the original's `calendar.timegm(t.timetuple())`. */
export function epochSeconds(date: Date | undefined): number | null {
  return date ? Math.floor(date.getTime() / 1000) : null;
}

/** Orders rows by several string keys, compared by code point like Python's tuple sort. */
export function byStringKeys<T>(...keys: ((row: T) => string)[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      const c = compareCodePoints(key(a), key(b));
      if (c !== 0) return c;
    }
    return 0;
  };
}

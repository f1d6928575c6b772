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

function table(columns: string[], maxWidths?: Record<string, number>): TableSpec {
  return { columns, titles: STACK_TABLE_TITLES, ...(maxWidths ? { maxWidths } : {}) };
}

/** The column sets of `senza list/events/resources/...`, in the original's order. */
export const STACK_TABLES = {
  list: table(['stack_name', 'version', 'status', 'creation_time', 'description']),
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
    MAX_WIDTHS,
  ),
  resources: table(['stack_name', 'version', 'LogicalResourceId', 'resource_type', 'ResourceStatus', 'creation_time']),
  instances: table([
    'stack_name',
    'version',
    'resource_id',
    'instance_id',
    'public_ip',
    'private_ip',
    'state',
    'lb_status',
    'launch_time',
  ]),
  /** `instances -d`: the image source next to the LB status (the original lost both to a column typo). */
  instancesWithDocker: table([
    'stack_name',
    'version',
    'resource_id',
    'instance_id',
    'public_ip',
    'private_ip',
    'state',
    'lb_status',
    'docker_source',
    'launch_time',
  ]),
  status: table([
    'stack_name',
    'version',
    'status',
    'total_instances',
    'running_instances',
    'healthy_instances',
    'lb_status',
    'http_status',
    'main_dns',
  ]),
  domains: table(['stack_name', 'version', 'resource_id', 'domain', 'weight', 'type', 'value', 'create_time']),
  health: table([
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
  ]),
  images: table(
    ['ImageId', 'Name', 'OwnerId', 'Description', 'stacks', 'total_instances', 'creation_time'],
    MAX_WIDTHS,
  ),
  imagesWithInstances: table(
    ['ImageId', 'Name', 'OwnerId', 'Description', 'stacks', 'instances', 'creation_time'],
    MAX_WIDTHS,
  ),
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

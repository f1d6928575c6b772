import { describe, expect, it } from 'vitest';
import { type Row, renderTable, type TableSpec } from '../../../io/table.js';
import { STACK_TABLES } from './stack-tables.js';

const NOW = 1_800_000_000_000;
const ago = (seconds: number) => NOW / 1000 - seconds;

/** Rows as a real account shows them: long stack names, 17-digit instance ids, full resource types. */
const base = { stack_name: 'payment-service', version: '42' };
const ROWS: Record<keyof typeof STACK_TABLES, Row[]> = {
  list: [
    {
      ...base,
      status: 'UPDATE_ROLLBACK_COMPLETE',
      creation_time: ago(3 * 86400),
      description: 'Payment service: card authorisation and capture (ImageVersion: 42.0.1-a1b2c3d)',
    },
  ],
  events: [
    {
      ...base,
      resource_type: 'ElasticLoadBalancingV2::TargetGroup',
      LogicalResourceId: 'AppLoadBalancerMainDomain',
      ResourceStatus: 'CREATE_IN_PROGRESS',
      ResourceStatusReason: 'Resource creation Initiated',
      event_time: ago(125),
    },
    {
      ...base,
      resource_type: 'AutoScaling::AutoScalingGroup',
      LogicalResourceId: 'AppServer',
      ResourceStatus: 'CREATE_FAILED',
      ResourceStatusReason:
        'Received 0 SUCCESS signal(s) out of 1.  Unable to satisfy 100% MinSuccessfulInstancesPercent requirement',
      event_time: ago(30),
    },
  ],
  resources: [
    {
      ...base,
      LogicalResourceId: 'AppLoadBalancerMainDomain',
      resource_type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      ResourceStatus: 'CREATE_COMPLETE',
      creation_time: ago(7200),
    },
  ],
  instances: [
    {
      ...base,
      resource_id: 'AppServer',
      instance_id: 'i-0123456789abcdef0',
      public_ip: '203.0.113.254',
      private_ip: '172.31.146.200',
      state: 'RUNNING',
      lb_status: 'OUT_OF_SERVICE',
      launch_time: ago(40 * 3600),
    },
  ],
  instancesWithDocker: [],
  status: [
    {
      ...base,
      status: 'UPDATE_ROLLBACK_COMPLETE',
      total_instances: 12,
      running_instances: 12,
      healthy_instances: 11,
      lb_status: 'IN_SERVICE,OUT_OF_SERVICE',
      http_status: 'ERROR',
      main_dns: true,
    },
  ],
  domains: [],
  health: [
    {
      ...base,
      status: 'UPDATE_COMPLETE',
      healthy_hosts: 12,
      requests_per_sec: 1234.5,
      '4xx_percentage': 12.5,
      '5xx_percentage': 0.25,
      latency_ms: 123.4,
      requests_5m: 370350,
      '5xx_5m': 926,
      latency_5m_ms: 118.2,
    },
  ],
  images: [
    {
      ImageId: 'ami-0123456789abcdef0',
      Name: 'Taupage-AMI-20240115-142312',
      OwnerId: '123456789012',
      Description: 'Taupage AMI with Docker runtime, built from ubuntu 22.04 LTS (jammy)',
      stacks: 'payment-service-42, checkout-api-7',
      total_instances: 24,
      creation_time: ago(20 * 86400),
    },
  ],
  imagesWithInstances: [],
};

const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const cells = (spec: TableSpec, rows: Row[]) =>
  rows.flatMap((r) => spec.columns.map((c) => r[c])).filter((v): v is string => typeof v === 'string');

describe('the stack tables in a terminal', () => {
  // Domains show DNS names and load balancer addresses, which are never cut; `instances -d` and `images -i`
  // ask for a wider table (image sources, lists of instance ids).
  const narrow = ['domains', 'instancesWithDocker', 'imagesWithInstances'];
  const fitted = Object.entries(STACK_TABLES).filter(([name]) => !narrow.includes(name));

  it.each(fitted)('%s fits 80 columns and keeps its ids whole', (name, spec) => {
    const rows = ROWS[name as keyof typeof STACK_TABLES];
    const text = renderTable('text', spec, rows, { nowMs: NOW, width: 80 });
    for (const line of lines(text)) expect(line.length, `${name}: ${line}`).toBeLessThanOrEqual(80);
    for (const id of ['payment-service', 'i-0123456789abcdef0', 'ami-0123456789abcdef0', '172.31.146.200'])
      if (cells(spec, rows).includes(id)) expect(text).toContain(id);
  });

  it.each(fitted)('%s shows every cell whole at 200 columns', (name, spec) => {
    const rows = ROWS[name as keyof typeof STACK_TABLES];
    const text = renderTable('text', spec, rows, { nowMs: NOW, width: 200 });
    expect(text).toBe(renderTable('text', spec, rows, { nowMs: NOW }));
    const header = lines(text)[0] as string;
    expect(header.split('│')).toHaveLength(spec.columns.length);
    for (const row of rows)
      for (const c of spec.columns) {
        const value = row[c];
        const max = (spec.maxWidths as Record<string, number> | undefined)?.[c] ?? 1000;
        if (typeof value === 'string' && value.length <= max) expect(text).toContain(value);
      }
  });

  it('events at 80: the reason cut, resource type and time left out; JSON and TSV keep everything', () => {
    const text = renderTable('text', STACK_TABLES.events, ROWS.events, { nowMs: NOW, width: 80 });
    expect(lines(text)[0]).toMatch(/^Stack Name {5}│Ver\.│Resource ID +│Status +│Status Reason$/);
    expect(text).toContain('AppLoadBalancerMainDomain CREATE_IN_PROGRESS Resource cr.. ');
    for (const format of ['tsv', 'json'] as const) {
      const machine = renderTable(format, STACK_TABLES.events, ROWS.events, { nowMs: NOW, width: 80 });
      expect(machine).toContain('ElasticLoadBalancingV2::TargetGroup');
      expect(machine).toContain('MinSuccessfulInstancesPercent requirement');
    }
  });

  it('instances at 80: the public IP, resource id and launch time give way', () => {
    const text = renderTable('text', STACK_TABLES.instances, ROWS.instances, { nowMs: NOW, width: 80 });
    expect(lines(text)[0]).toBe('Stack Name     │Ver.│Instance ID        │Private IP    │State  │LB Status     ');
    expect(lines(text)[1]).toBe('payment-service 42   i-0123456789abcdef0 172.31.146.200 RUNNING OUT_OF_SERVICE ');
  });
});

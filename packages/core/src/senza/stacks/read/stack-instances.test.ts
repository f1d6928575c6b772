import type { Instance } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { renderTable } from '../../../io/table.js';
import { upperSnake } from './instance-health.js';
import { dockerSourceOf, instanceFilters, instanceRows, instanceState } from './stack-instances.js';
import { STACK_TABLES } from './stack-tables.js';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

function instance(id: string, stack: string, version: string, extra: Partial<Instance> = {}): Instance {
  return {
    InstanceId: id,
    PrivateIpAddress: '10.0.0.1',
    State: { Name: 'running' },
    LaunchTime: new Date(NOW - 5 * 3600 * 1000),
    Tags: [
      { Key: 'Name', Value: `${stack}-${version}` },
      { Key: 'StackName', Value: stack },
      { Key: 'StackVersion', Value: version },
      { Key: 'aws:cloudformation:logical-id', Value: 'AppServer' },
    ],
    ...extra,
  };
}

describe('senza instances rows', () => {
  it('renders the reference golden row', () => {
    const rows = instanceRows(
      [instance('i-123', 'test', '1')],
      new Map([['test-1', new Map([['i-123', 'IN_SERVICE']])]]),
    );
    expect(renderTable('text', STACK_TABLES.instances, rows as never, { nowMs: NOW })).toBe(
      [
        'Stack Name│Ver.│Resource ID│Instance ID│Public IP│Private IP│State  │LB Status │Launched',
        'test       1    AppServer   i-123                 10.0.0.1   RUNNING IN_SERVICE   5h ago ',
        '',
      ].join('\n'),
    );
  });

  it('sorts by stack, version, instance id; states and LB states in upper snake case', () => {
    const rows = instanceRows(
      [
        instance('i-b', 'b', '1'),
        instance('i-2', 'a', '2', { State: { Name: 'shutting-down' } }),
        instance('i-1', 'a', '2'),
      ],
      new Map(),
    );
    expect(rows.map((r) => r.instance_id)).toEqual(['i-1', 'i-2', 'i-b']);
    expect(rows[1].state).toBe('SHUTTING_DOWN');
    expect(rows[0].lb_status).toBeNull();
    expect(upperSnake('InService')).toBe('IN_SERVICE');
    expect(upperSnake('OutOfService')).toBe('OUT_OF_SERVICE');
    expect(upperSnake('healthy')).toBe('HEALTHY');
    expect(instanceState({ State: { Name: 'stopping' } })).toBe('STOPPING');
  });

  it('filters: Name tag unless --all, live states unless --terminated', () => {
    expect(instanceFilters({})).toEqual([
      { Name: 'tag-key', Values: ['Name'] },
      { Name: 'instance-state-name', Values: ['pending', 'running', 'shutting-down', 'stopping', 'stopped'] },
    ]);
    expect(instanceFilters({ all: true, terminated: true })).toEqual([]);
  });

  it('-d: the Docker source from Taupage user data, next to the LB status (upstream lost both)', () => {
    const userData = Buffer.from('#taupage-ami-config\nruntime: Docker\nsource: stups/hello:1.0\n').toString('base64');
    expect(dockerSourceOf(userData)).toBe('stups/hello:1.0');
    expect(dockerSourceOf(Buffer.from('#!/bin/sh\necho hi').toString('base64'))).toBeNull();
    expect(dockerSourceOf(undefined)).toBeNull();
    const rows = instanceRows(
      [instance('i-1', 'a', '1')],
      new Map([['a-1', new Map([['i-1', 'IN_SERVICE']])]]),
      new Map([['i-1', 'stups/hello:1.0']]),
    );
    expect(STACK_TABLES.instancesWithDocker.columns).toContain('lb_status');
    expect(renderTable('tsv', STACK_TABLES.instancesWithDocker, rows as never, { nowMs: NOW }).split('\n')[1]).toBe(
      'a\t1\tAppServer\ti-1\t\t10.0.0.1\tRUNNING\tIN_SERVICE\tstups/hello:1.0\t5h ago',
    );
  });
});

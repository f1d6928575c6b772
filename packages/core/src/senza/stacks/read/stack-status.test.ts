import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { renderTable } from '../../../io/table.js';
import type { StackSummary } from './list-stacks.js';
import { type DomainProbe, localRouterProbe, stackStatusRow } from './stack-status.js';
import { STACK_TABLES } from './stack-tables.js';

const stack: StackSummary = {
  stackName: 'test-1',
  name: 'test',
  version: '1',
  status: 'CREATE_COMPLETE',
  stackId: 'arn:test-1',
  creationTime: new Date(0),
};
const recordSet = (logicalId: string, name: string) => ({
  LogicalResourceId: logicalId,
  ResourceType: 'AWS::Route53::RecordSet',
  PhysicalResourceId: name,
  LastUpdatedTimestamp: new Date(0),
  ResourceStatus: 'CREATE_COMPLETE' as const,
});

function probe(addresses: Record<string, string[]>, http: 'OK' | 'ERROR' = 'OK'): DomainProbe & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async http(host) {
      asked.push(`GET ${host}`);
      return http;
    },
    async resolveA(host) {
      return addresses[host] ?? [];
    },
  };
}

describe('senza status rows', () => {
  const instances = [
    { InstanceId: 'i-1', State: { Name: 'running' as const } },
    { InstanceId: 'i-2', State: { Name: 'running' as const } },
    { InstanceId: 'i-3', State: { Name: 'terminated' as const } },
  ];

  it('counts instances, health and checks the version domain over HTTP; main DNS when the addresses meet', async () => {
    const p = probe({ 'test-1.example.org': ['1.2.3.4'], 'test.example.org': ['1.2.3.4', '5.6.7.8'] });
    const row = await stackStatusRow(
      {
        stack,
        instances,
        health: new Map([
          ['i-1', 'IN_SERVICE'],
          ['i-2', 'OUT_OF_SERVICE'],
        ]),
        resources: [
          recordSet('AppLoadBalancerVersionDomain', 'test-1.example.org.'),
          recordSet('AppLoadBalancerMainDomain', 'test.example.org.'),
        ],
      },
      p,
    );
    expect(p.asked).toEqual(['GET test-1.example.org']);
    expect(row).toEqual({
      stack_name: 'test',
      version: '1',
      status: 'CREATE_COMPLETE',
      total_instances: 3,
      running_instances: 2,
      healthy_instances: 1,
      lb_status: 'IN_SERVICE,OUT_OF_SERVICE',
      http_status: 'OK',
      main_dns: true,
    });
    expect(renderTable('text', STACK_TABLES.status, [row] as never).split('\n')).toEqual([
      'Stack Name│Ver.│Status         │Inst.#│Running│Healthy│LB Status                │HTTP│Main DNS',
      'test       1    CREATE_COMPLETE      3       2       1 IN_SERVICE,OUT_OF_SERVICE OK   yes      ',
      '',
    ]);
  });

  it('no health data and no domains: nulls', async () => {
    const row = await stackStatusRow({ stack, instances: [], health: new Map(), resources: [] }, probe({}));
    expect(row).toMatchObject({
      total_instances: 0,
      healthy_instances: null,
      lb_status: null,
      http_status: null,
      main_dns: null,
    });
  });
});

describe('senza status on stups-local (issue 17 item 16)', () => {
  it('asks the local router for the version domain by Host header: OK while it answers, ERROR for 5xx or nothing', async () => {
    const hosts: string[] = [];
    const router = createServer((req, res) => {
      hosts.push(req.headers.host ?? '');
      res.writeHead(req.headers.host === 'app-1.team.example.org' ? 200 : 502);
      res.end();
    });
    await new Promise<void>((resolve) => router.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(router.address() as AddressInfo).port}`;
    try {
      const local = localRouterProbe(endpoint);
      expect(await local.http('app-1.team.example.org')).toBe('OK');
      expect(await local.http('gone-2.team.example.org')).toBe('ERROR');
      expect(hosts).toEqual(['app-1.team.example.org', 'gone-2.team.example.org']);
      expect(await local.resolveA('app-1.team.example.org')).toEqual([]);
      const row = await stackStatusRow(
        {
          stack,
          instances: [],
          health: new Map(),
          resources: [recordSet('VersionDomain', 'app-1.team.example.org.')],
        },
        local,
      );
      expect(row.http_status).toBe('OK');
      expect(row.main_dns).toBeNull();
    } finally {
      await new Promise((resolve) => router.close(resolve));
    }
    expect(await localRouterProbe(endpoint).http('app-1.team.example.org')).toBe('ERROR');
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { hostKey, LiveRouteTable, parseHealthTarget, type RouteTable } from './route-table.js';
import { pickWeighted } from './router.js';

const table = (name: string): RouteTable => ({
  domains: new Map([[name, { name, weighted: false, targets: [{ loadBalancer: 'lb' }] }]]),
  loadBalancers: new Map(),
});

describe('the route table', () => {
  it('reads an ELB HealthCheck target as ELB does', () => {
    expect(parseHealthTarget('HTTP:8080/health')).toEqual({ protocol: 'HTTP', port: 8080, path: '/health' });
    expect(parseHealthTarget('https:8443/')).toEqual({ protocol: 'HTTPS', port: 8443, path: '/' });
    expect(parseHealthTarget('TCP:5000')).toEqual({ protocol: 'TCP', port: 5000, path: '/' });
    expect(parseHealthTarget('HTTP:8080')).toBeUndefined();
    expect(parseHealthTarget('UDP:53')).toBeUndefined();
    expect(parseHealthTarget('HTTP:0/')).toBeUndefined();
    expect(hostKey('Hello-World.Team.Example.ORG.')).toBe('hello-world.team.example.org');
  });

  it('keeps the last table when a refresh fails, and reports a run of failures once', async () => {
    let fail = false;
    let reads = 0;
    const failures: unknown[] = [];
    const live = new LiveRouteTable(
      {
        read: async () => {
          reads++;
          if (fail) throw new Error('moto is gone');
          return table(`v${reads}.example.org`);
        },
      },
      20,
      (e) => failures.push(e),
    );
    await live.start();
    expect([...live.current.domains.keys()]).toEqual(['v1.example.org']);
    fail = true;
    const before = reads;
    const last = live.current;
    const deadline = Date.now() + 2000;
    while (reads < before + 4 && Date.now() < deadline) await sleep(10);
    expect(reads).toBeGreaterThanOrEqual(before + 4);
    expect(live.current).toBe(last);
    expect(failures).toHaveLength(1);
    fail = false;
    while (live.current === last && Date.now() < deadline) await sleep(10);
    expect(live.current).not.toBe(last);
    fail = true;
    const again = reads;
    while (reads < again + 2 && Date.now() < deadline) await sleep(10);
    expect(failures).toHaveLength(2);
    await live.close();
    const closedAt = reads;
    await sleep(60);
    expect(reads).toBe(closedAt);
  });

  it('a weighted pick never takes weight 0 while another has weight, and takes each equally when all are 0', () => {
    const targets = [
      { id: 'a', weight: 0 },
      { id: 'b', weight: 150 },
      { id: 'c', weight: 50 },
    ];
    expect(pickWeighted(targets, () => 0)?.id).toBe('b');
    expect(pickWeighted(targets, () => 0.749)?.id).toBe('b');
    expect(pickWeighted(targets, () => 0.75)?.id).toBe('c');
    expect(pickWeighted(targets, () => 0.999999)?.id).toBe('c');
    const zeros = [
      { id: 'a', weight: 0 },
      { id: 'b', weight: 0 },
    ];
    expect(pickWeighted(zeros, () => 0.49)?.id).toBe('a');
    expect(pickWeighted(zeros, () => 0.5)?.id).toBe('b');
    expect(pickWeighted([])).toBeUndefined();
  });
});

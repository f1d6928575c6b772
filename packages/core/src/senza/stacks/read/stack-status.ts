import { Resolver } from 'node:dns/promises';
import { request } from 'node:http';
import type { Instance } from '@aws-sdk/client-ec2';
import type { AwsSession } from '../../../aws/aws-session.js';
import { withoutDot } from '../../../aws/dns-names.js';
import { fetchHealthByName, type InstanceHealth } from './instance-health.js';
import type { StackSummary } from './list-stacks.js';
import { describeInstances, tagValue } from './stack-instances.js';
import { fetchStackResources, type StackResources } from './stack-resources.js';
import { byStringKeys } from './stack-tables.js';

/** A row of `senza status`. */
export interface StackStatusRow {
  stack_name: string;
  version: string;
  status: string;
  total_instances: number;
  running_instances: number;
  healthy_instances: number | null;
  lb_status: string | null;
  http_status: 'OK' | 'ERROR' | null;
  main_dns: boolean | null;
}

/** How `status` checks a domain from this machine: an HTTPS request and an A-record look-up. */
export interface DomainProbe {
  /** `OK` for any HTTP response from `https://<host>/` within a second, else `ERROR`. */
  http(host: string): Promise<'OK' | 'ERROR'>;
  /** The host's IPv4 addresses; empty when it does not resolve. */
  resolveA(host: string): Promise<string[]>;
}

export const networkDomainProbe: DomainProbe = {
  async http(host) {
    try {
      await fetch(`https://${host}/`, { signal: AbortSignal.timeout(1000), redirect: 'manual' });
      return 'OK';
    } catch {
      return 'ERROR';
    }
  },
  async resolveA(host) {
    try {
      return await new Resolver({ timeout: 1000, tries: 1 }).resolve4(host);
    } catch {
      return [];
    }
  },
};

/**
 * On stups-local the stack domains (`app-1.team.example.org`) exist in the emulated Route 53 only: real
 * DNS and HTTPS cannot reach them, and the original's probe would say `ERROR` for a version that answers.
 * The local router (STUPS_LOCAL_HTTP) serves them by Host header, so the version is asked there: `OK`
 * when it answers below 500 within a second (5xx is the router saying no instance answered). Real DNS
 * is not asked (the names do not resolve), so Main DNS stays unknown rather than wrong.
 */
export function localRouterProbe(endpoint: string): DomainProbe {
  return {
    http: (host) =>
      new Promise((resolve) => {
        let url: URL;
        try {
          url = new URL('/', endpoint);
        } catch {
          resolve('ERROR');
          return;
        }
        const req = request(url, { headers: { host }, timeout: 1000 }, (res) => {
          res.resume();
          resolve((res.statusCode ?? 500) < 500 ? 'OK' : 'ERROR');
        });
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', () => resolve('ERROR'));
        req.end();
      }),
    resolveA: async () => [],
  };
}

interface StatusInputs {
  stack: StackSummary;
  instances: Instance[];
  health: InstanceHealth;
  resources: StackResources['resources'];
}

/** One status row from the facts gathered for a stack. */
export async function stackStatusRow(input: StatusInputs, probe: DomainProbe): Promise<StackStatusRow> {
  const { stack, instances, health, resources } = input;
  const states = new Set<string>();
  let running = 0;
  let healthy = 0;
  for (const i of instances) {
    if (i.State?.Name === 'running') running++;
    const state = health.get(i.InstanceId ?? '');
    if (state !== undefined) {
      states.add(state);
      if (state === 'IN_SERVICE' || state === 'HEALTHY') healthy++;
    }
  }
  let httpStatus: 'OK' | 'ERROR' | null = null;
  const versionAddresses = new Set<string>();
  const mainAddresses = new Set<string>();
  await Promise.all(
    resources
      .filter((r) => r.ResourceType === 'AWS::Route53::RecordSet' && r.PhysicalResourceId)
      .map(async (r) => {
        const host = withoutDot(r.PhysicalResourceId ?? '');
        if (/version/i.test(r.LogicalResourceId ?? '')) {
          const [status, addresses] = await Promise.all([probe.http(host), probe.resolveA(host)]);
          httpStatus = status;
          for (const a of addresses) versionAddresses.add(a);
        } else {
          for (const a of await probe.resolveA(host)) mainAddresses.add(a);
        }
      }),
  );
  const mainDns =
    versionAddresses.size > 0 && mainAddresses.size > 0
      ? [...versionAddresses].some((a) => mainAddresses.has(a))
      : null;
  return {
    stack_name: stack.name,
    version: stack.version,
    status: stack.status,
    total_instances: instances.length,
    running_instances: running,
    healthy_instances: health.size > 0 ? healthy : null,
    lb_status: states.size > 0 ? [...states].sort().join(',') : null,
    http_status: httpStatus,
    main_dns: mainDns,
  };
}

/**
 * `senza status` rows: one DescribeInstances for all stacks (`tag:Name` in the stack names), LB health
 * once per stack, the resources of each stack, then domain probes.
 */
export async function fetchStackStatus(
  session: AwsSession,
  stacks: StackSummary[],
  probe: DomainProbe = networkDomainProbe,
): Promise<StackStatusRow[]> {
  if (stacks.length === 0) return [];
  const names = [...new Set(stacks.map((s) => s.stackName))];
  // EC2 takes up to 200 values per filter.
  const chunks: string[][] = [];
  for (let i = 0; i < names.length; i += 200) chunks.push(names.slice(i, i + 200));
  const [instances, health, resources] = await Promise.all([
    Promise.all(chunks.map((c) => describeInstances(session, [{ Name: 'tag:Name', Values: c }]))).then((x) => x.flat()),
    fetchHealthByName(session, names),
    fetchStackResources(session, stacks),
  ]);
  const rows = await Promise.all(
    stacks.map((stack, i) =>
      stackStatusRow(
        {
          stack,
          instances: instances.filter((inst) => tagValue(inst, 'Name') === stack.stackName),
          health: health.get(stack.stackName) ?? new Map(),
          resources: resources[i].resources,
        },
        probe,
      ),
    ),
  );
  return rows.sort(
    byStringKeys(
      (r) => r.stack_name,
      (r) => r.version,
    ),
  );
}

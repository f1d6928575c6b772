import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  type LoadBalancerDescription,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  DescribeLoadBalancersCommand as DescribeV2LoadBalancersCommand,
  type LoadBalancer as V2LoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { awsItems } from '@stups/core/aws';
import { listStacks, stackResources } from '../aws/cfn-lookups.js';
import { regionalDnsName } from '../aws/corrections/elb-dns-region.js';
import type { MotoClients } from '../aws/moto-clients.js';
import { listRecords, listZones } from '../aws/route53-records.js';

/** A load balancer's HealthCheck, as classic ELB states it (`Target` split into its parts). */
export interface HealthCheckSettings {
  protocol: 'HTTP' | 'HTTPS' | 'TCP' | 'SSL';
  port: number;
  /** The ping path of HTTP/HTTPS checks ('/' for the others). */
  path: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  /** HTTP codes that pass: classic ELB `200` only; an ELBv2 target group's matcher (`200-299`, `200,202`). */
  successCodes: string;
}

/** One load balancer of a stack version, as the router serves it. */
export interface LoadBalancerRoute {
  kind: 'classic' | 'v2';
  name: string;
  /** ELBv2: the target group the router serves (the first of the load balancer's). */
  targetGroupArn?: string;
  targetGroupName?: string;
  region: string;
  /** The stack version that owns it, e.g. `hello-world-v1`. */
  stackName: string;
  /** The instance port requests go to (the first listener's InstancePort). */
  instancePort: number;
  healthCheck: HealthCheckSettings;
  /** Registered instances (ELBv2: the target group's instance targets), in registration order. */
  instanceIds: readonly string[];
}

/** One way to a load balancer from a domain: a weighted record (SetIdentifier, Weight) or a plain one. */
export interface DomainTarget {
  loadBalancer: string;
  /** undefined for a plain (not weighted) record. */
  weight?: number;
  setIdentifier?: string;
}

/** A host name with its records that lead to load balancers. */
export interface DomainRoute {
  /** Lower case, no final dot. */
  name: string;
  weighted: boolean;
  targets: readonly DomainTarget[];
}

export interface RouteTable {
  /** By host name (lower case, no final dot). */
  domains: ReadonlyMap<string, DomainRoute>;
  /** By load balancer name. */
  loadBalancers: ReadonlyMap<string, LoadBalancerRoute>;
}

export const EMPTY_ROUTE_TABLE: RouteTable = { domains: new Map(), loadBalancers: new Map() };

const ROUTED_TYPES = new Set(['A', 'AAAA', 'CNAME']);
const OWNER_RETRY_MS = 1000;
const classicKey = (lb: LoadBalancerDescription) => `${lb.LoadBalancerName}|${lb.CreatedTime?.toISOString() ?? ''}`;
const BALANCER_TYPES = new Set([
  'AWS::ElasticLoadBalancing::LoadBalancer',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
]);
const STACK_NAME_TAG = 'aws:cloudformation:stack-name';
const LIVE_STACKS = [
  'CREATE_IN_PROGRESS',
  'CREATE_COMPLETE',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_COMPLETE',
  'UPDATE_IN_PROGRESS',
  'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_IN_PROGRESS',
  'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
  'UPDATE_ROLLBACK_COMPLETE',
  'DELETE_IN_PROGRESS',
] as const;

/** A host name as the router compares it: lower case, no final dot. */
export function hostKey(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** `HTTP:8080/health` → its parts; undefined for a target ELB would reject. */
export function parseHealthTarget(target: string): Pick<HealthCheckSettings, 'protocol' | 'port' | 'path'> | undefined {
  const m = /^(HTTP|HTTPS|TCP|SSL):(\d+)(\/.*)?$/i.exec(target.trim());
  if (!m) return undefined;
  const protocol = (m[1] as string).toUpperCase() as HealthCheckSettings['protocol'];
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  if ((protocol === 'HTTP' || protocol === 'HTTPS') && !m[3]) return undefined;
  return { protocol, port, path: m[3] ?? '/' };
}

const positive = (value: number | undefined, fallback: number) =>
  value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;

/**
 * Reads the routing facts from moto (directly, never through the layer): the hosted zones' A/AAAA/CNAME
 * records, the classic load balancers their alias targets or values name, each load balancer's stack (by
 * the stack's resources, else its `aws:cloudformation:stack-name` tag) with its HealthCheck and registered
 * instances. Stack resources and tags are remembered per stack update and per load balancer.
 */
export class RouteTableReader {
  /** StackId → [LastUpdatedTime or CreationTime, load balancer names]. */
  private readonly stackBalancers = new Map<string, { stamp: string; stackName: string; names: string[] }>();
  /** Per load balancer (see `owners`), its stack, and when that was looked up. */
  private readonly ownerOf = new Map<string, { stackName: string | undefined; at: number }>();
  /** `name|created` → stack name from tags ('' when none). */
  private readonly tagged = new Map<string, string>();

  constructor(
    private readonly moto: MotoClients,
    private readonly region: string,
  ) {}

  async read(): Promise<RouteTable> {
    const [records, balancers, v2Balancers] = await Promise.all([this.records(), this.balancers(), this.v2Balancers()]);
    /** DNS name → load balancer name. */
    const byDns = new Map<string, string>();
    for (const lb of [...balancers, ...v2Balancers]) {
      if (!lb.DNSName || !lb.LoadBalancerName) continue;
      byDns.set(hostKey(lb.DNSName), lb.LoadBalancerName);
      byDns.set(hostKey(regionalDnsName(lb.DNSName, this.region)), lb.LoadBalancerName);
    }
    const owner = await this.owners(balancers, v2Balancers);

    const loadBalancers = new Map<string, LoadBalancerRoute>();
    for (const lb of balancers) {
      const name = lb.LoadBalancerName ?? '';
      const stackName = owner(classicKey(lb));
      const route = stackName ? balancerRoute(lb, stackName, this.region) : undefined;
      if (route) loadBalancers.set(name, route);
    }
    for (const lb of v2Balancers) {
      const stackName = owner(lb.LoadBalancerArn ?? '');
      const route = stackName ? await this.v2Route(lb, stackName) : undefined;
      if (route && !loadBalancers.has(route.name)) loadBalancers.set(route.name, route);
    }

    const domains = new Map<string, { weighted: boolean; targets: Map<string, DomainTarget> }>();
    for (const r of records) {
      if (!ROUTED_TYPES.has(r.Type ?? '')) continue;
      const pointsTo = r.AliasTarget?.DNSName ?? (r.Type === 'CNAME' ? r.ResourceRecords?.[0]?.Value : undefined);
      const lbName = pointsTo ? byDns.get(hostKey(pointsTo)) : undefined;
      const route = lbName ? loadBalancers.get(lbName) : undefined;
      if (!route) continue;
      const name = hostKey(r.Name ?? '');
      const weighted = r.SetIdentifier !== undefined && r.Weight !== undefined;
      const entry = domains.get(name) ?? { weighted, targets: new Map<string, DomainTarget>() };
      domains.set(name, entry);
      entry.weighted ||= weighted;
      // One target per SetIdentifier: an A and an AAAA record of one version are one way in.
      const key = r.SetIdentifier ?? `plain:${route.name}`;
      if (!entry.targets.has(key)) {
        entry.targets.set(key, {
          loadBalancer: route.name,
          weight: weighted ? r.Weight : undefined,
          setIdentifier: r.SetIdentifier,
        });
      }
    }
    const domainRoutes = new Map<string, DomainRoute>();
    for (const [name, d] of domains)
      domainRoutes.set(name, { name, weighted: d.weighted, targets: [...d.targets.values()] });
    return { domains: domainRoutes, loadBalancers };
  }

  private async records(): Promise<ResourceRecordSet[]> {
    const route53 = this.moto.route53();
    const zones = await listZones(route53);
    const lists = await Promise.all(
      zones.map((z) => listRecords(route53, (z.Id ?? '').replace(/^\/hostedzone\//, ''))),
    );
    return lists.flat();
  }

  private async balancers(): Promise<LoadBalancerDescription[]> {
    const elb = this.moto.elb(this.region);
    return awsItems({
      fetch: (Marker) => elb.send(new DescribeLoadBalancersCommand({ Marker })),
      next: (page) => page.NextMarker,
      items: (page) => page.LoadBalancerDescriptions,
    });
  }

  private async v2Balancers(): Promise<V2LoadBalancer[]> {
    const elbv2 = this.moto.elbv2(this.region);
    const all = await awsItems({
      fetch: (Marker) => elbv2.send(new DescribeV2LoadBalancersCommand({ Marker })),
      next: (page) => page.NextMarker,
      items: (page) => page.LoadBalancers,
    });
    return all.filter((lb) => lb.Type === undefined || lb.Type === 'application');
  }

  /** An application load balancer as the router serves it: its first target group's port, check and targets. */
  private async v2Route(lb: V2LoadBalancer, stackName: string): Promise<LoadBalancerRoute | undefined> {
    const elbv2 = this.moto.elbv2(this.region);
    // moto answers TargetGroupNotFound for a load balancer without a listener that forwards to a group.
    const groups = await elbv2
      .send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn }))
      .catch((e: { name?: string }) => {
        if (e?.name === 'TargetGroupNotFoundException' || /target groups? not found/i.test(String(e))) return undefined;
        throw e;
      });
    const tg = groups?.TargetGroups?.[0];
    if (!tg?.TargetGroupArn || !tg.Port) return undefined;
    const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }));
    const protocol = tg.HealthCheckProtocol === 'HTTPS' ? 'HTTPS' : 'HTTP';
    const port = !tg.HealthCheckPort || tg.HealthCheckPort === 'traffic-port' ? tg.Port : Number(tg.HealthCheckPort);
    return {
      kind: 'v2',
      name: lb.LoadBalancerName ?? '',
      targetGroupArn: tg.TargetGroupArn,
      targetGroupName: tg.TargetGroupName,
      region: this.region,
      stackName,
      instancePort: tg.Port,
      healthCheck: {
        protocol,
        port: Number.isInteger(port) && port > 0 ? port : tg.Port,
        path: tg.HealthCheckPath || '/',
        intervalSeconds: positive(tg.HealthCheckIntervalSeconds, 30),
        timeoutSeconds: positive(tg.HealthCheckTimeoutSeconds, 5),
        healthyThreshold: positive(tg.HealthyThresholdCount, 5),
        unhealthyThreshold: positive(tg.UnhealthyThresholdCount, 2),
        successCodes: tg.Matcher?.HttpCode || '200',
      },
      instanceIds: (health.TargetHealthDescriptions ?? [])
        .map((d) => d.Target?.Id ?? '')
        .filter((id) => id.startsWith('i-')),
    };
  }

  /**
   * Each load balancer's stack, remembered per load balancer (classic: name and creation time; ELBv2: ARN),
   * so that a steady table costs no CloudFormation call. One not found in a stack nor by tag is looked up
   * again after a second (its stack may have been mid-creation).
   */
  private async owners(
    balancers: LoadBalancerDescription[],
    v2Balancers: V2LoadBalancer[],
  ): Promise<(key: string) => string | undefined> {
    const now = Date.now();
    const keys = [...balancers.map(classicKey), ...v2Balancers.map((lb) => lb.LoadBalancerArn ?? '')];
    const stale = (key: string) => {
      const known = this.ownerOf.get(key);
      return !known || (known.stackName === undefined && now - known.at > OWNER_RETRY_MS);
    };
    if (keys.some(stale)) {
      const fromStacks = await this.stackOwners();
      const untagged = balancers.filter((lb) => stale(classicKey(lb)) && !fromStacks.has(lb.LoadBalancerName ?? ''));
      const fromTags = await this.tagOwners(untagged);
      for (const lb of balancers) {
        if (!stale(classicKey(lb))) continue;
        const name = lb.LoadBalancerName ?? '';
        this.ownerOf.set(classicKey(lb), { stackName: fromStacks.get(name) ?? fromTags.get(name), at: now });
      }
      for (const lb of v2Balancers) {
        const arn = lb.LoadBalancerArn ?? '';
        if (stale(arn)) this.ownerOf.set(arn, { stackName: fromStacks.get(arn), at: now });
      }
    }
    const present = new Set(keys);
    for (const key of this.ownerOf.keys()) if (!present.has(key)) this.ownerOf.delete(key);
    return (key) => this.ownerOf.get(key)?.stackName;
  }

  /** Load balancer name (classic) or ARN (ELBv2) → the stack whose resource it is. */
  private async stackOwners(): Promise<Map<string, string>> {
    const cfn = this.moto.cloudformation(this.region);
    const summaries = await listStacks(cfn, LIVE_STACKS);
    const live = new Set<string>();
    const owners = new Map<string, string>();
    for (const s of summaries) {
      if (!s.StackId) continue;
      live.add(s.StackId);
      const stamp = `${s.StackStatus}|${(s.LastUpdatedTime ?? s.CreationTime)?.toISOString() ?? ''}`;
      let known = this.stackBalancers.get(s.StackId);
      if (known?.stamp !== stamp) {
        // Classic: the name; ELBv2: the ARN.
        const names = (await stackResources(cfn, s.StackId))
          .filter((r) => BALANCER_TYPES.has(r.ResourceType ?? '') && r.PhysicalResourceId)
          .map((r) => r.PhysicalResourceId as string);
        known = { stamp, stackName: s.StackName ?? '', names };
        this.stackBalancers.set(s.StackId, known);
      }
      for (const n of known.names) owners.set(n, known.stackName);
    }
    for (const id of this.stackBalancers.keys()) if (!live.has(id)) this.stackBalancers.delete(id);
    return owners;
  }

  /** Stack names from the `aws:cloudformation:stack-name` tag of load balancers no stack lists. */
  private async tagOwners(balancers: LoadBalancerDescription[]): Promise<Map<string, string>> {
    const key = classicKey;
    const unknown = balancers.filter((lb) => !this.tagged.has(key(lb)));
    for (let i = 0; i < unknown.length; i += 20) {
      const batch = unknown.slice(i, i + 20);
      const page = await this.moto
        .elb(this.region)
        .send(new DescribeTagsCommand({ LoadBalancerNames: batch.map((lb) => lb.LoadBalancerName ?? '') }));
      const found = new Map(
        (page.TagDescriptions ?? []).map((d) => [
          d.LoadBalancerName ?? '',
          d.Tags?.find((t) => t.Key === STACK_NAME_TAG)?.Value ?? '',
        ]),
      );
      for (const lb of batch) this.tagged.set(key(lb), found.get(lb.LoadBalancerName ?? '') ?? '');
    }
    const out = new Map<string, string>();
    for (const lb of balancers) {
      const name = this.tagged.get(key(lb));
      if (name) out.set(lb.LoadBalancerName ?? '', name);
    }
    return out;
  }
}

function balancerRoute(lb: LoadBalancerDescription, stackName: string, region: string): LoadBalancerRoute | undefined {
  const hc = lb.HealthCheck;
  const target = parseHealthTarget(hc?.Target ?? '');
  const listener = lb.ListenerDescriptions?.[0]?.Listener;
  const instancePort = listener?.InstancePort ?? target?.port;
  if (!instancePort) return undefined;
  return {
    kind: 'classic',
    name: lb.LoadBalancerName ?? '',
    region,
    stackName,
    instancePort,
    // A load balancer without a valid target is checked as ELB's default: TCP on the instance port.
    healthCheck: {
      ...(target ?? { protocol: 'TCP', port: instancePort, path: '/' }),
      intervalSeconds: positive(hc?.Interval, 30),
      timeoutSeconds: positive(hc?.Timeout, 5),
      healthyThreshold: positive(hc?.HealthyThreshold, 10),
      unhealthyThreshold: positive(hc?.UnhealthyThreshold, 2),
      successCodes: '200',
    },
    instanceIds: (lb.Instances ?? []).map((i) => i.InstanceId ?? '').filter((id) => id !== ''),
  };
}

/**
 * The route table, refreshed from moto in the background (one refresh at a time, `intervalMs` after the
 * last one ended), so that requests read it without waiting. A failed refresh keeps the last table; the
 * first failure of a run of failures is reported once.
 */
export class LiveRouteTable {
  private table: RouteTable = EMPTY_ROUTE_TABLE;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failing = false;
  private closed = false;
  private readonly listeners: ((table: RouteTable) => void)[] = [];

  constructor(
    private readonly reader: { read(): Promise<RouteTable> },
    private readonly intervalMs: number,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  get current(): RouteTable {
    return this.table;
  }

  /** Called with every table read (also an unchanged one). */
  onRefresh(listener: (table: RouteTable) => void): void {
    this.listeners.push(listener);
  }

  /** Reads once now (resolves when done, never rejects), then keeps refreshing. */
  async start(): Promise<void> {
    await this.refresh();
  }

  /** One refresh; a second call while one runs waits for that one. */
  refresh(): Promise<void> {
    if (this.running) return this.running;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.reader
      .read()
      .then(
        (table) => {
          this.table = table;
          this.failing = false;
          for (const l of this.listeners) l(table);
        },
        (e: unknown) => {
          if (!this.failing && !this.closed) this.onFailure(e);
          this.failing = true;
        },
      )
      .finally(() => {
        this.running = undefined;
        if (!this.closed) {
          this.timer = setTimeout(() => void this.refresh(), this.intervalMs);
          this.timer.unref();
        }
      });
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}

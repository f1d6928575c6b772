import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { HEALTH_DESCRIPTIONS, statusMatches } from './elb-health-states.js';
import type { HealthCheckSettings, LoadBalancerRoute, RouteTable } from './route-table.js';
import type { HealthSource, InstanceHealth, InstanceSource, RuntimeInstance } from './runtime-contract.js';

const NOT_RUNNING_RECHECK_MS = 250;

const IN_SERVICE: Omit<InstanceHealth, 'instanceId'> = { state: 'InService', reasonCode: 'N/A', description: 'N/A' };
const REGISTERING: Omit<InstanceHealth, 'instanceId'> = {
  state: 'OutOfService',
  reasonCode: 'ELB',
  description: HEALTH_DESCRIPTIONS.registering,
};
const FAILED: Omit<InstanceHealth, 'instanceId'> = {
  state: 'OutOfService',
  reasonCode: 'Instance',
  description: HEALTH_DESCRIPTIONS.failed,
};
const NOT_RUNNING: Omit<InstanceHealth, 'instanceId'> = {
  state: 'OutOfService',
  reasonCode: 'Instance',
  description: HEALTH_DESCRIPTIONS.notRunning,
};

/** What one probe got: a pass, or a failure with the HTTP status that did not match, or a timeout. */
export type ProbeOutcome = { ok: true } | { ok: false; status?: number; timedOut?: boolean };

/** One probe of a health-check target over an instance's unix socket: true when it passes. */
export async function probe(socketPath: string, check: HealthCheckSettings): Promise<boolean> {
  return (await probeOutcome(socketPath, check)).ok;
}

/** One probe, with what made it fail (an ELBv2 target group's reason code tells these apart). */
export function probeOutcome(socketPath: string, check: HealthCheckSettings): Promise<ProbeOutcome> {
  const timeoutMs = check.timeoutSeconds * 1000;
  return new Promise((resolve) => {
    let done = false;
    const finish = (outcome: ProbeOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      finish({ ok: false, timedOut: true });
      stop();
    }, timeoutMs);
    let stop = () => {};
    if (check.protocol === 'HTTP' || check.protocol === 'HTTPS') {
      const send = check.protocol === 'HTTP' ? httpRequest : httpsRequest;
      const req = send(
        {
          socketPath,
          path: check.path,
          method: 'GET',
          agent: false,
          headers: { host: 'localhost', 'user-agent': 'ELB-HealthChecker/1.0', connection: 'close' },
          rejectUnauthorized: false,
        },
        (res) => {
          res.resume();
          // Classic ELB: only 200 OK passes; ELBv2: the target group's matcher.
          finish(
            statusMatches(res.statusCode, check.successCodes) ? { ok: true } : { ok: false, status: res.statusCode },
          );
        },
      );
      req.on('error', () => finish({ ok: false }));
      req.end();
      stop = () => req.destroy();
    } else {
      const socket =
        check.protocol === 'SSL'
          ? tlsConnect({ path: socketPath, rejectUnauthorized: false }, () => {
              finish({ ok: true });
              socket.destroy();
            })
          : connect({ path: socketPath }, () => {
              finish({ ok: true });
              socket.destroy();
            });
      socket.on('error', () => finish({ ok: false }));
      stop = () => socket.destroy();
    }
  });
}

interface Checker {
  loadBalancer: string;
  instanceId: string;
  health: Omit<InstanceHealth, 'instanceId'>;
  successes: number;
  failures: number;
  timer?: NodeJS.Timeout;
  busy: boolean;
}

/**
 * Health checks like a classic ELB's, per load balancer and registered instance: the HealthCheck target
 * polled over the instance's unix socket every Interval seconds (capped), each probe bounded by Timeout;
 * an instance goes InService after HealthyThreshold passes in a row and OutOfService after
 * UnhealthyThreshold failures in a row. A new instance starts OutOfService ("registration is still in
 * progress") and is probed at once; an instance whose container does not run is OutOfService at once.
 */
export class HealthChecks implements HealthSource {
  private readonly checkers = new Map<string, Checker>();
  private table: RouteTable = { domains: new Map(), loadBalancers: new Map() };
  private closed = false;

  constructor(
    private readonly source: InstanceSource,
    private readonly region: string,
    private readonly maxIntervalSeconds?: number,
  ) {}

  /** Follows a new route table: starts checks for new registrations, stops those gone. */
  update(table: RouteTable): void {
    if (this.closed) return;
    this.table = table;
    const wanted = new Set<string>();
    for (const lb of table.loadBalancers.values()) {
      for (const id of lb.instanceIds) {
        const key = `${lb.name}|${id}`;
        wanted.add(key);
        if (!this.checkers.has(key)) {
          const checker: Checker = {
            loadBalancer: lb.name,
            instanceId: id,
            health: REGISTERING,
            successes: 0,
            failures: 0,
            busy: false,
          };
          this.checkers.set(key, checker);
          void this.check(checker);
        }
      }
    }
    for (const [key, checker] of this.checkers) {
      if (wanted.has(key)) continue;
      clearTimeout(checker.timer);
      this.checkers.delete(key);
    }
  }

  instanceHealth(loadBalancerName: string, region: string): readonly InstanceHealth[] | undefined {
    if (region !== this.region) return undefined;
    const lb = this.routeNamed(loadBalancerName);
    if (!lb) return undefined;
    const running = this.runningInstances();
    return lb.instanceIds.map((id) => ({ instanceId: id, ...this.stateOf(lb.name, id, running) }));
  }

  /** A load balancer by its name, or (ELBv2) by the name or ARN of the target group the router serves. */
  routeNamed(name: string): LoadBalancerRoute | undefined {
    const direct = this.table.loadBalancers.get(name);
    if (direct) return direct;
    for (const lb of this.table.loadBalancers.values()) {
      if (lb.kind === 'v2' && (lb.targetGroupArn === name || lb.targetGroupName === name)) return lb;
    }
    return undefined;
  }

  /** The registered instances of a load balancer that are InService and run, in registration order. */
  inService(lb: LoadBalancerRoute, running: ReadonlyMap<string, RuntimeInstance>): RuntimeInstance[] {
    const out: RuntimeInstance[] = [];
    for (const id of lb.instanceIds) {
      const instance = running.get(id);
      if (instance && this.checkers.get(`${lb.name}|${id}`)?.health.state === 'InService') out.push(instance);
    }
    return out;
  }

  /** The source's running instances by id. */
  runningInstances(): Map<string, RuntimeInstance> {
    const out = new Map<string, RuntimeInstance>();
    for (const i of this.source.instances()) if (i.running) out.set(i.instanceId, i);
    return out;
  }

  close(): void {
    this.closed = true;
    for (const c of this.checkers.values()) clearTimeout(c.timer);
    this.checkers.clear();
  }

  private stateOf(
    lbName: string,
    id: string,
    running: ReadonlyMap<string, RuntimeInstance>,
  ): Omit<InstanceHealth, 'instanceId'> {
    if (!running.has(id)) return NOT_RUNNING;
    return this.checkers.get(`${lbName}|${id}`)?.health ?? REGISTERING;
  }

  private intervalMs(check: HealthCheckSettings): number {
    const cap = this.maxIntervalSeconds;
    const seconds = cap !== undefined && cap > 0 ? Math.min(check.intervalSeconds, cap) : check.intervalSeconds;
    return seconds * 1000;
  }

  private async check(checker: Checker): Promise<void> {
    const lb = this.table.loadBalancers.get(checker.loadBalancer);
    if (this.closed || !lb || this.checkers.get(`${checker.loadBalancer}|${checker.instanceId}`) !== checker) return;
    const check = lb.healthCheck;
    let waiting = false;
    if (!checker.busy) {
      checker.busy = true;
      try {
        const instance = this.source.instances().find((i) => i.instanceId === checker.instanceId);
        if (!instance?.running) {
          // Not running: OutOfService at once; back in service only after HealthyThreshold passes.
          if (checker.health.state === 'InService') checker.health = NOT_RUNNING;
          checker.successes = 0;
          checker.failures = 0;
          waiting = true;
        } else {
          const socket = instance.sockets[check.port];
          const outcome: ProbeOutcome = socket ? await probeOutcome(socket, check) : { ok: false };
          if (outcome.ok) {
            checker.failures = 0;
            checker.successes++;
            if (checker.health.state !== 'InService' && checker.successes >= check.healthyThreshold) {
              checker.health = IN_SERVICE;
            }
          } else {
            checker.successes = 0;
            checker.failures++;
            if (checker.failures >= check.unhealthyThreshold) {
              const { status, timedOut } = outcome;
              checker.health = { ...FAILED, lastCheck: { status, timedOut } };
            }
          }
        }
      } finally {
        checker.busy = false;
      }
    }
    if (this.closed || this.checkers.get(`${checker.loadBalancer}|${checker.instanceId}`) !== checker) return;
    // While the container does not run, look again every 250 ms (the source is in memory), so that a
    // container that comes up is probed at once rather than an Interval later.
    const next = waiting ? Math.min(this.intervalMs(check), NOT_RUNNING_RECHECK_MS) : this.intervalMs(check);
    checker.timer = setTimeout(() => void this.check(checker), next);
    checker.timer.unref();
  }
}

import { CloudFormationClient, SignalResourceCommand } from '@aws-sdk/client-cloudformation';
import { probe } from './health-checks.js';
import type { TaupageConfig } from './taupage-config.js';

/** How long one probe of Taupage's own health check may take. */
const PROBE_TIMEOUT_SECONDS = 2;
/** Between two probes of an instance that is not healthy yet (Taupage polls every 2 s). */
const PROBE_EVERY_MS = 1_000;

/** Where Taupage signals: the `notify_cfn` block senza writes into the user data. */
export interface NotifyCfn {
  stack: string;
  resource: string;
}

export function notifyCfnOf(config: TaupageConfig): NotifyCfn | undefined {
  const n = config.raw.notify_cfn as { stack?: unknown; resource?: unknown } | null | undefined;
  if (!n || typeof n.stack !== 'string' || typeof n.resource !== 'string' || !n.stack || !n.resource) return undefined;
  return { stack: n.stack, resource: n.resource };
}

/** One instance as the signaller sees it, each reconcile. */
export interface SignalCandidate {
  instanceId: string;
  config: TaupageConfig;
  /** The container runs and its forwarders listen. */
  running: boolean;
  /** The forwarder's unix socket of a container port. */
  socket(containerPort: number): string | undefined;
}

/**
 * Taupage's signal to CloudFormation, once per instance: after the container started and, where the
 * Taupage config names a `health_check_path`, once that path answers 200 on `health_check_port` (default:
 * the first of `ports`), SignalResource SUCCESS for `notify_cfn`'s stack and resource with the instance
 * id as UniqueId, sent through the AWS endpoint (the layer holds the stack until then). An answer that
 * refuses the signal for good (the stack is complete, gone, or does not wait) ends the instance's turn,
 * as Taupage's single cfn-signal call; a network error is tried again.
 */
export class TaupageSignals {
  private readonly done = new Set<string>();
  private readonly busy = new Set<string>();
  private readonly lastProbe = new Map<string, number>();
  private readonly cfn?: CloudFormationClient;

  constructor(
    awsEndpoint: string | undefined,
    region: string,
    private readonly note: (text: string) => void,
  ) {
    if (awsEndpoint)
      this.cfn = new CloudFormationClient({
        region,
        endpoint: awsEndpoint,
        credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
        maxAttempts: 1,
      });
  }

  /** Looks at each instance that runs and has not signalled; forgets the instances that are gone. */
  consider(candidates: readonly SignalCandidate[]): void {
    const ids = new Set(candidates.map((c) => c.instanceId));
    for (const id of this.done) if (!ids.has(id)) this.done.delete(id);
    for (const id of this.lastProbe.keys()) if (!ids.has(id)) this.lastProbe.delete(id);
    if (!this.cfn) return;
    for (const c of candidates) {
      if (!c.running || this.done.has(c.instanceId) || this.busy.has(c.instanceId)) continue;
      const target = notifyCfnOf(c.config);
      if (!target) {
        this.done.add(c.instanceId);
        continue;
      }
      const last = this.lastProbe.get(c.instanceId) ?? 0;
      if (Date.now() - last < PROBE_EVERY_MS) continue;
      this.lastProbe.set(c.instanceId, Date.now());
      this.busy.add(c.instanceId);
      void this.attempt(c, target).finally(() => this.busy.delete(c.instanceId));
    }
  }

  close(): void {
    this.cfn?.destroy();
  }

  private async attempt(c: SignalCandidate, target: NotifyCfn): Promise<void> {
    if (!(await this.healthy(c))) return;
    try {
      await this.cfn?.send(
        new SignalResourceCommand({
          StackName: target.stack,
          LogicalResourceId: target.resource,
          UniqueId: c.instanceId,
          Status: 'SUCCESS',
        }),
      );
      this.done.add(c.instanceId);
      this.note(`${c.instanceId} signalled SUCCESS to ${target.stack}/${target.resource}`);
    } catch (e) {
      const name = (e as { name?: string }).name;
      if (name === 'ValidationError') {
        // Like Taupage's one cfn-signal call: the stack does not wait (complete, updated, gone).
        this.done.add(c.instanceId);
        this.note(`${c.instanceId}: signal to ${target.stack}/${target.resource} refused: ${(e as Error).message}`);
      } else this.note(`${c.instanceId}: signal to ${target.stack} failed, trying again: ${(e as Error).message}`);
    }
  }

  /** Taupage's health check: none named passes once the container runs. */
  private async healthy(c: SignalCandidate): Promise<boolean> {
    const path = c.config.healthCheckPath;
    if (!path) return true;
    const hostPorts = Object.keys(c.config.ports).map(Number);
    const named = Number(c.config.raw.health_check_port);
    const hostPort = Number.isInteger(named) && named > 0 ? named : hostPorts[0];
    const containerPort = hostPort === undefined ? undefined : (c.config.ports[hostPort] ?? hostPort);
    const socket = containerPort === undefined ? undefined : c.socket(containerPort);
    if (!socket || containerPort === undefined) return false;
    return probe(socket, {
      protocol: 'HTTP',
      port: containerPort,
      path: path.startsWith('/') ? path : `/${path}`,
      intervalSeconds: 1,
      timeoutSeconds: PROBE_TIMEOUT_SECONDS,
      healthyThreshold: 1,
      unhealthyThreshold: 1,
      successCodes: '200',
    });
  }
}

import { closeSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
  DescribeLaunchConfigurationsCommand,
  type Instance,
} from '@aws-sdk/client-auto-scaling';
import type { StackStatus } from '@aws-sdk/client-cloudformation';
import { DescribeLaunchTemplateVersionsCommand } from '@aws-sdk/client-ec2';
import { serviceToken } from '@stups/core/auth';
import { parseImageRef } from '@stups/core/pierone';
import { TAUPAGE_LINE } from '@stups/core/senza/diagnose';
import type Docker from 'dockerode';
import { listStacks, stackResources } from '../aws/cfn-lookups.js';
import { MotoClients } from '../aws/moto-clients.js';
import { ensurePrivateDir, openLogFile } from '../contract/state-files.js';
import { containerOutput } from './container-logs.js';
import { connectEngine, type DockerEngine, stateDirId } from './docker-engine.js';
import { type Forwarder, startForwarder, stopForwardersByPidFiles } from './forwarder.js';
import type { Runtime, RuntimeInstance, RuntimeOptions } from './runtime-contract.js';
import {
  containerPorts,
  decryptEnvironment,
  EnvironmentDecryptError,
  kmsDecrypt,
  parseTaupageUserData,
  type TaupageConfig,
} from './taupage-config.js';
import { TaupageSignals } from './taupage-signal.js';

/**
 * Stack versions as containers: every Auto Scaling group in moto that a finished stack made and whose
 * launch configuration carries Taupage user data gets one container per instance it holds, without a
 * network (only `lo`), reached through forwarders on unix sockets. Reconciling is serialised: every
 * second, and soon after `poke()`.
 */
export const RUNTIME_DIR = 'rt';
export const RUNTIME_LOG_FILE = 'runtime.log';
export const LABEL = {
  platform: 'stups.local',
  stack: 'stups.stack',
  version: 'stups.version',
  instance: 'stups.instance',
} as const;

const POLL_MS = 1_000;
const STOP_TIMEOUT_SECONDS = 3;
const IMAGE_RETRY_MS = 5_000;
/**
 * Connection draining: an instance that left its group is taken out of the router's choice first and
 * its container stopped this much later, so that requests already sent to it are answered (an ELB
 * drains a deregistered instance the same way, for 300 s by default; local requests take milliseconds).
 */
const DRAIN_MS = 1_000;
/** Taupage runs containers with `--restart=on-failure:10`. */
const RESTART_POLICY = { Name: 'on-failure', MaximumRetryCount: 10 };
/** Stacks whose groups run: created or updated (also while an update runs), not failed or deleted. */
const RUNNING_STACK_STATUSES: StackStatus[] = [
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_IN_PROGRESS',
  'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
  'UPDATE_ROLLBACK_COMPLETE',
  'UPDATE_ROLLBACK_IN_PROGRESS',
  'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
];

/** One instance that should run, from moto. */
interface Wanted {
  instanceId: string;
  stackName: string;
  version: string;
  config: TaupageConfig;
  /** Where the instance's settings come from: `lc:<name>` or `lt:<id>:<version>`. */
  launchSource: string;
}

/** A container of ours and its forwarders. */
interface Managed {
  instanceId: string;
  stackName: string;
  containerId: string;
  containerRunning: boolean;
  containerPid: number;
  /** The container ports that need a forwarder (Taupage `ports` values). */
  ports: number[];
  forwarders: Map<number, Forwarder>;
  /** How many exits of the container its console already reports. */
  exitsReported: number;
}

/** What Taupage writes to an instance's console around the application's output. */
interface TaupageConsoleLines {
  /** The image pull (and its error) and the container's start. */
  head: string[];
  /** The container's exits, with their codes. */
  exits: string[];
}

/**
 * Where an instance's settings come from: the launch configuration or launch template version it was
 * launched with (as DescribeAutoScalingGroups reports each instance), else the group's.
 */
function launchSource(group: AutoScalingGroup, instance: Instance): string | undefined {
  if (instance.LaunchConfigurationName) return `lc:${instance.LaunchConfigurationName}`;
  const spec = instance.LaunchTemplate ?? group.LaunchTemplate;
  if (spec?.LaunchTemplateId) return `lt:${spec.LaunchTemplateId}:${spec.Version || '$Default'}`;
  if (group.LaunchConfigurationName) return `lc:${group.LaunchConfigurationName}`;
  return undefined;
}

function describeSource(source: string): string {
  if (source.startsWith('lc:')) return `launch configuration ${source.slice(3)}`;
  const [, id, version] = source.split(':');
  return `launch template ${id} version ${version}`;
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const engine = await connectEngine(options.engine, options.stateDir);
  if ('unavailable' in engine) return idleRuntime(engine.unavailable);
  const runtime = new ContainerRuntime(options, engine);
  await runtime.start();
  return runtime;
}

/** The engine a runtime drives (its endpoint, and the PID of a private dockerd); undefined without one. */
export function runtimeEngine(runtime: Runtime): { endpoint: string; pid?: number } | undefined {
  return runtime instanceof ContainerRuntime ? runtime.engineInfo : undefined;
}

/** The runtime without an engine: no instances, and the reason in its summary. */
function idleRuntime(reason: string): Runtime {
  return {
    engineSummary: reason,
    instances: () => [],
    consoleOutput: async () => undefined,
    poke: () => undefined,
    note: () => undefined,
    close: async () => undefined,
  };
}

class ContainerRuntime implements Runtime {
  readonly engineSummary: string;
  private readonly docker: Docker;
  private readonly moto: MotoClients;
  private readonly id: string;
  private readonly dir: string;
  private readonly log: number;
  private readonly managed = new Map<string, Managed>();
  private readonly images = new Map<string, { ok: boolean; reason?: string; at: number }>();
  private readonly launchConfigs = new Map<string, TaupageConfig | null>();
  private readonly stackGroups = new Map<string, string[]>();
  private readonly problems = new Map<string, string>();
  private readonly taupage = new Map<string, TaupageConsoleLines>();
  /** Launch configurations whose environment does not decrypt: the key and KMS's reason. */
  private readonly undecryptable = new Map<string, { key: string; reason: string }>();
  /** Instances that do not run because their environment does not decrypt (their console says so). */
  private blocked = new Set<string>();
  private token?: { value: string; until: number };
  private timer?: NodeJS.Timeout;
  private current?: Promise<void>;
  private again = false;
  private closed = false;
  private published: RuntimeInstance[] = [];
  private readonly signals: TaupageSignals;

  constructor(
    private readonly options: RuntimeOptions,
    private readonly engine: DockerEngine,
  ) {
    this.engineSummary = engine.summary;
    this.docker = engine.docker;
    this.moto = new MotoClients(options.motoEndpoint);
    this.id = stateDirId(options.stateDir);
    this.dir = join(options.stateDir, RUNTIME_DIR);
    ensurePrivateDir(options.stateDir);
    ensurePrivateDir(this.dir, { inside: true });
    this.log = openLogFile(join(options.stateDir, RUNTIME_LOG_FILE), 'append');
    this.signals = new TaupageSignals(options.environment.AWS_ENDPOINT_URL, options.region, (t) => this.note(t));
  }

  get engineInfo(): { endpoint: string; pid?: number } {
    return { endpoint: this.engine.endpoint, pid: this.engine.pid };
  }

  async start(): Promise<void> {
    // PID files of forwarders a killed platform left (cleanUp stopped those that were still ours).
    await stopForwardersByPidFiles(this.dir, () => false);
    this.note(`runtime started: ${this.engineSummary}`);
    await this.reconcileNow();
    this.timer = setInterval(() => this.poke(), POLL_MS);
    this.timer.unref();
  }

  instances(): readonly RuntimeInstance[] {
    return this.published.map((i) => ({ ...i, running: this.isRunning(i.instanceId) }));
  }

  poke(): void {
    if (this.closed) return;
    if (this.current) {
      this.again = true;
      return;
    }
    this.current = this.loop().finally(() => {
      this.current = undefined;
    });
  }

  /** Reconciles once more, after any reconcile that runs now. */
  async reconcileNow(): Promise<void> {
    if (this.current) this.again = true;
    else this.poke();
    while (this.current) await this.current;
  }

  /**
   * What Taupage's console shows: the image pull (and its error), the container's start, the
   * application's output, the container's exits with their codes.
   */
  async consoleOutput(instanceId: string): Promise<string | undefined> {
    const m = this.managed.get(instanceId);
    const lines = this.taupage.get(instanceId);
    if (!m && !lines) return undefined;
    let app = '';
    if (m) {
      try {
        app = await containerOutput(this.docker, m.containerId);
      } catch {
        if (!lines) return undefined;
      }
    }
    const text = (l: string[]) => l.map((x) => `${x}\n`).join('');
    const output = app === '' || app.endsWith('\n') ? app : `${app}\n`;
    return `${text(lines?.head ?? [])}${output}${text(lines?.exits ?? [])}`;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    while (this.current) await this.current;
    try {
      for (const m of this.managed.values()) await this.stopForwarders(m);
      const ours = await this.ourContainers().catch(() => []);
      for (const c of ours) await this.removeContainer(c.Id, c.Labels[LABEL.instance] ?? '?', 'the runtime stops');
      this.managed.clear();
      this.published = [];
    } finally {
      this.moto.destroy();
      this.signals.close();
      this.note('runtime stopped');
      closeSync(this.log);
      await this.engine.close();
    }
  }

  private isRunning(instanceId: string): boolean {
    const m = this.managed.get(instanceId);
    if (!m?.containerRunning) return false;
    return m.ports.every((port) => m.forwarders.get(port)?.alive() === true);
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.reconcile();
        this.problems.delete('reconcile');
      } catch (e) {
        this.problem('reconcile', `reconcile failed: ${(e as Error).message}`);
      }
    } while (this.again && !this.closed);
  }

  private async reconcile(): Promise<void> {
    if (this.closed) return;
    // Nothing is removed unless moto answered: an error here ends this round.
    const wanted = await this.wantedInstances();
    const containers = await this.ourContainers();
    const seen = new Set<string>();
    const gone: { id: string; instanceId: string }[] = [];
    for (const c of containers) {
      const instanceId = c.Labels[LABEL.instance] ?? '';
      const w = wanted.get(instanceId);
      if (!w || seen.has(instanceId)) {
        gone.push({ id: c.Id, instanceId });
        continue;
      }
      seen.add(instanceId);
      const m = this.managed.get(instanceId);
      if (!m || m.containerId !== c.Id) {
        if (m) await this.stopForwarders(m);
        this.managed.set(instanceId, {
          instanceId,
          stackName: w.stackName,
          containerId: c.Id,
          containerRunning: false,
          containerPid: 0,
          ports: containerPorts(w.config),
          forwarders: new Map(),
          exitsReported: 0,
        });
        if (!m) this.note(`adopted container ${c.Id.slice(0, 12)} of ${instanceId}`);
      }
    }
    await this.drainAndRemove(gone);
    for (const [instanceId, m] of this.managed) {
      if (!seen.has(instanceId)) {
        await this.stopForwarders(m);
        this.managed.delete(instanceId);
      }
    }
    for (const instanceId of this.taupage.keys())
      if (!wanted.has(instanceId) && !this.blocked.has(instanceId)) this.taupage.delete(instanceId);
    for (const w of wanted.values()) {
      if (this.closed) return;
      if (!this.managed.has(w.instanceId)) await this.createContainer(w);
    }
    for (const w of wanted.values()) {
      const m = this.managed.get(w.instanceId);
      if (m && !this.closed) await this.refresh(m, w);
    }
    // Taupage signals CloudFormation once the container runs and its health check passes.
    this.signals.consider(
      [...wanted.values()].map((w) => ({
        instanceId: w.instanceId,
        config: w.config,
        running: this.isRunning(w.instanceId),
        socket: (port: number) => this.managed.get(w.instanceId)?.forwarders.get(port)?.socket,
      })),
    );
    // Every instance that should run, also one without a container (its image is missing): not running.
    this.published = [...wanted.values()].map((w) => {
      const m = this.managed.get(w.instanceId);
      const sockets: Record<number, string> = {};
      for (const [port, f] of m?.forwarders ?? []) sockets[port] = f.socket;
      return {
        instanceId: w.instanceId,
        stackName: w.stackName,
        region: this.options.region,
        containerId: m?.containerId ?? '',
        sockets,
        running: false,
      };
    });
  }

  /** The instances moto's groups hold, for stacks that finished and launch configurations with Taupage user data. */
  private async wantedInstances(): Promise<Map<string, Wanted>> {
    const region = this.options.region;
    const cfn = this.moto.cloudformation(region);
    const stacks: { name: string; id: string }[] = [];
    for (const s of await listStacks(cfn, RUNNING_STACK_STATUSES))
      if (s.StackName && s.StackId) stacks.push({ name: s.StackName, id: s.StackId });
    const groupStack = new Map<string, string>();
    for (const s of stacks) {
      let groups = this.stackGroups.get(s.id);
      if (!groups) {
        groups = (await stackResources(cfn, s.id))
          .filter((r) => r.ResourceType === 'AWS::AutoScaling::AutoScalingGroup' && r.PhysicalResourceId)
          .map((r) => r.PhysicalResourceId as string);
        if (groups.length > 0) this.stackGroups.set(s.id, groups);
      }
      for (const g of groups) groupStack.set(g, s.name);
    }
    const wanted = new Map<string, Wanted>();
    const blocked = new Set<string>();
    this.blocked = blocked;
    if (groupStack.size === 0) return wanted;
    const asg = this.moto.autoscaling(region);
    const names = [...groupStack.keys()];
    for (let i = 0; i < names.length; i += 50) {
      const out = await asg.send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: names.slice(i, i + 50) }),
      );
      for (const g of out.AutoScalingGroups ?? []) {
        const stackName = groupStack.get(g.AutoScalingGroupName ?? '');
        if (!stackName) continue;
        for (const inst of g.Instances ?? []) {
          if (!inst.InstanceId || inst.LifecycleState !== 'InService') continue;
          const source = launchSource(g, inst);
          if (!source) continue;
          const config = await this.launchSettings(source, inst.InstanceId, stackName);
          if (!config) {
            // Taupage stops before the container when a value does not decrypt, and says so on the console.
            const failed = this.undecryptable.get(source);
            if (failed) {
              blocked.add(inst.InstanceId);
              this.taupage.set(inst.InstanceId, {
                head: [TAUPAGE_LINE.decryptFailed(failed.key, failed.reason)],
                exits: [],
              });
            }
            continue;
          }
          wanted.set(inst.InstanceId, {
            instanceId: inst.InstanceId,
            stackName,
            version: config.applicationVersion ?? stackName.slice(stackName.lastIndexOf('-') + 1),
            config,
            launchSource: source,
          });
        }
      }
    }
    return wanted;
  }

  /**
   * The Taupage configuration in the user data of a launch configuration or of one launch template
   * version. Neither changes once created: each is read (and its secrets decrypted) once; `$Default` and
   * `$Latest` name no fixed version and are read each time. One that does not exist (any more) is
   * logged, naming the instance that cannot run for it.
   */
  private async launchSettings(
    source: string,
    instanceId: string,
    stackName: string,
  ): Promise<TaupageConfig | undefined> {
    if (this.launchConfigs.has(source)) return this.launchConfigs.get(source) ?? undefined;
    const remember = (config: TaupageConfig | null) => {
      if (!source.includes(':$')) this.launchConfigs.set(source, config);
    };
    let userData: string | undefined;
    try {
      const found = await this.readUserData(source);
      if (!found.exists) {
        this.problem(
          `launch:${source}`,
          `${instanceId} (${stackName}) does not run: its ${describeSource(source)} does not exist`,
        );
        return undefined;
      }
      userData = found.userData;
    } catch (e) {
      this.problem(
        `launch:${source}`,
        `cannot read the ${describeSource(source)} of ${instanceId}: ${(e as Error).message}`,
      );
      return undefined;
    }
    const config = parseTaupageUserData(userData);
    if (!config) {
      remember(null);
      return undefined;
    }
    try {
      config.environment = await decryptEnvironment(config.environment, kmsDecrypt(this.moto.kms(this.options.region)));
    } catch (e) {
      // Not cached: the key may be created later (or KMS answer next time).
      this.problem(
        `kms:${source}`,
        `cannot decrypt the environment of ${describeSource(source)}: ${(e as Error).message}`,
      );
      if (e instanceof EnvironmentDecryptError)
        this.undecryptable.set(source, { key: e.key, reason: (e.cause as Error)?.message ?? e.message });
      return undefined;
    }
    this.undecryptable.delete(source);
    remember(config);
    return config;
  }

  private async readUserData(source: string): Promise<{ exists: boolean; userData?: string }> {
    const region = this.options.region;
    if (source.startsWith('lc:')) {
      const out = await this.moto
        .autoscaling(region)
        .send(new DescribeLaunchConfigurationsCommand({ LaunchConfigurationNames: [source.slice(3)] }));
      const lc = out.LaunchConfigurations?.[0];
      return { exists: lc !== undefined, userData: lc?.UserData };
    }
    const [, id, version] = source.split(':');
    try {
      const out = await this.moto
        .ec2(region)
        .send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: [version] }));
      const v = out.LaunchTemplateVersions?.[0];
      return { exists: v !== undefined, userData: v?.LaunchTemplateData?.UserData };
    } catch (e) {
      const name = (e as { name?: string }).name ?? '';
      if (name.startsWith('InvalidLaunchTemplate')) return { exists: false };
      throw e;
    }
  }

  private ourContainers(): Promise<Docker.ContainerInfo[]> {
    return this.docker.listContainers({ all: true, filters: { label: [`${LABEL.platform}=${this.id}`] } });
  }

  private async createContainer(w: Wanted): Promise<void> {
    const image = await this.ensureImage(w.config.source);
    if (!image.ok) {
      this.problem(`image:${w.instanceId}`, `${w.instanceId} (${w.stackName}) does not run: ${image.reason}`);
      this.taupage.set(w.instanceId, {
        head: [
          TAUPAGE_LINE.pulling(w.config.source),
          TAUPAGE_LINE.pullFailed(w.config.source, image.reason ?? 'unknown error'),
        ],
        exits: [],
      });
      return;
    }
    this.taupage.set(w.instanceId, {
      head: [
        TAUPAGE_LINE.pulling(w.config.source),
        TAUPAGE_LINE.pulled(w.config.source),
        TAUPAGE_LINE.starting(w.config.source),
      ],
      exits: [],
    });
    const env = {
      ...w.config.environment,
      APPLICATION_ID: w.config.applicationId ?? w.stackName,
      APPLICATION_VERSION: w.version,
    };
    try {
      const container = await this.docker.createContainer({
        name: `stups-${this.id}-${w.instanceId}`,
        Image: w.config.source,
        Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
        Labels: {
          [LABEL.platform]: this.id,
          [LABEL.stack]: w.stackName,
          [LABEL.version]: w.version,
          [LABEL.instance]: w.instanceId,
        },
        HostConfig: { NetworkMode: 'none', RestartPolicy: RESTART_POLICY },
        // A PID 1 that ignores SIGTERM (busybox httpd) is killed after 3 s, so that a private dockerd
        // stops within the grace `down` gives it, containers included.
        StopTimeout: STOP_TIMEOUT_SECONDS,
      });
      this.managed.set(w.instanceId, {
        instanceId: w.instanceId,
        stackName: w.stackName,
        containerId: container.id,
        containerRunning: false,
        containerPid: 0,
        ports: containerPorts(w.config),
        forwarders: new Map(),
        exitsReported: 0,
      });
      await container.start();
      this.problems.delete(`image:${w.instanceId}`);
      this.note(
        `started container ${container.id.slice(0, 12)} for ${w.instanceId} (${w.stackName}, ${w.config.source})`,
      );
    } catch (e) {
      this.problem(`create:${w.instanceId}`, `cannot start a container for ${w.instanceId}: ${(e as Error).message}`);
    }
  }

  /** The container's state and its forwarders: new ones after a restart (new PID), none while it is down. */
  private async refresh(m: Managed, w: Wanted): Promise<void> {
    let state: Docker.ContainerInspectInfo['State'];
    try {
      const info = await this.docker.getContainer(m.containerId).inspect();
      state = info.State;
      this.reportExits(m, state, info.RestartCount ?? 0);
    } catch {
      m.containerRunning = false;
      await this.stopForwarders(m);
      return;
    }
    if (state.Status === 'created') {
      await this.docker
        .getContainer(m.containerId)
        .start()
        .catch((e: Error) => this.problem(`start:${m.instanceId}`, `cannot start ${m.instanceId}: ${e.message}`));
      return;
    }
    const running = state.Running && !state.Restarting && state.Pid > 0;
    m.containerRunning = running;
    if (!running) {
      await this.stopForwarders(m);
      return;
    }
    if (m.containerPid !== state.Pid) {
      await this.stopForwarders(m);
      m.containerPid = state.Pid;
    }
    for (const port of containerPorts(w.config)) {
      const f = m.forwarders.get(port);
      if (f?.alive()) continue;
      if (f) await f.stop();
      m.forwarders.delete(port);
      try {
        m.forwarders.set(
          port,
          await startForwarder({
            containerPid: state.Pid,
            port,
            socket: join(this.dir, `${m.instanceId}-${port}.sock`),
            pidFile: join(this.dir, `${m.instanceId}-${port}.pid`),
          }),
        );
        this.problems.delete(`forward:${m.instanceId}:${port}`);
      } catch (e) {
        this.problem(`forward:${m.instanceId}:${port}`, `${m.instanceId}: ${(e as Error).message}`);
      }
    }
  }

  /**
   * The container's exits on its console, as Taupage's shows them: the engine counts a restart when it
   * decides on it (state `restarting`), so the exits so far are the restarts, plus one when the container
   * stays down (`exited`: exit 0, or the restart policy exhausted). The engine keeps the exit code only
   * while the container is down (a restarted one reads 0), so exits are reported when it is seen down,
   * and exits between two looks share the code it kept.
   */
  private reportExits(m: Managed, state: Docker.ContainerInspectInfo['State'], restarts: number): void {
    const stopped = state.Status === 'exited' || state.Status === 'dead';
    if (!stopped && state.Status !== 'restarting') return;
    const exits = restarts + (stopped ? 1 : 0);
    if (exits <= m.exitsReported) return;
    const lines = this.taupage.get(m.instanceId) ?? { head: [], exits: [] };
    for (let i = m.exitsReported + 1; i <= exits; i++) {
      const final = stopped && i === exits;
      lines.exits.push(
        TAUPAGE_LINE.exited(state.ExitCode, final ? undefined : { count: i, max: RESTART_POLICY.MaximumRetryCount }),
      );
    }
    // Only the newest exits: a crash loop must not grow the console without bound.
    lines.exits.splice(0, Math.max(0, lines.exits.length - 20));
    this.taupage.set(m.instanceId, lines);
    m.exitsReported = exits;
  }

  /** Takes the containers' instances out of the router's choice, lets requests in flight finish, removes them. */
  private async drainAndRemove(gone: readonly { id: string; instanceId: string }[]): Promise<void> {
    let draining = false;
    for (const g of gone) {
      const m = this.managed.get(g.instanceId);
      if (m?.containerId === g.id && m.containerRunning) {
        m.containerRunning = false;
        draining = true;
      }
    }
    if (draining) await sleep(DRAIN_MS);
    for (const g of gone) await this.removeContainer(g.id, g.instanceId, 'its instance is gone');
  }

  private async stopForwarders(m: Managed): Promise<void> {
    for (const f of m.forwarders.values()) await f.stop().catch(() => undefined);
    m.forwarders.clear();
    m.containerPid = 0;
  }

  private async removeContainer(id: string, instanceId: string, why: string): Promise<void> {
    const m = this.managed.get(instanceId);
    if (m?.containerId === id) {
      await this.stopForwarders(m);
      this.managed.delete(instanceId);
    }
    try {
      await this.docker.getContainer(id).remove({ force: true });
      this.note(`removed container ${id.slice(0, 12)} of ${instanceId}: ${why}`);
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode !== 404)
        this.problem(`remove:${id}`, `cannot remove container ${id.slice(0, 12)}: ${(e as Error).message}`);
    }
  }

  /**
   * The image in the engine: there already, or pulled from the local Pier One with a service token.
   * A failure is remembered for a few seconds, so that a missing image is not asked for every second.
   */
  private async ensureImage(source: string): Promise<{ ok: boolean; reason?: string }> {
    const known = this.images.get(source);
    if (known?.ok || (known && Date.now() - known.at < IMAGE_RETRY_MS)) return known;
    const result = await this.findOrPull(source);
    this.images.set(source, { ...result, at: Date.now() });
    return result;
  }

  private async findOrPull(source: string): Promise<{ ok: boolean; reason?: string }> {
    try {
      await this.docker.getImage(source).inspect();
      return { ok: true };
    } catch {
      // not in the engine: pull it below
    }
    let registry: string | undefined;
    try {
      registry = parseImageRef(source).registry;
    } catch (e) {
      return { ok: false, reason: (e as Error).message };
    }
    const pierone = this.pieroneHost();
    if (!registry || !pierone || !sameHost(registry, pierone))
      return {
        ok: false,
        // Worded as Docker's own pull error (`… not found`), so that the console line reads as Taupage's.
        reason: `image ${source} not found: it is not in the Docker engine${pierone ? ` and not in the local Pier One (${pierone})` : ''}`,
      };
    try {
      const password = await this.pullToken();
      const stream = await this.docker.pull(source, {
        authconfig: { username: 'oauth2', password, serveraddress: registry },
      });
      const events = await new Promise<{ error?: string }[]>((done, fail) =>
        this.docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) =>
          err ? fail(err) : done(out),
        ),
      );
      const failed = events.find((e) => e.error);
      if (failed) return { ok: false, reason: `pull of ${source} failed: ${failed.error}` };
      this.note(`pulled ${source}`);
      return { ok: true };
    } catch (e) {
      return { ok: false, reason: `pull of ${source} failed: ${(e as Error).message}` };
    }
  }

  private pieroneHost(): string | undefined {
    const url = this.options.environment.PIERONE_URL;
    if (!url) return undefined;
    try {
      return new URL(url).host;
    } catch {
      return undefined;
    }
  }

  /** A token from the local OAuth provider (the stups-tokens credentials it writes), reused until it nearly expires. */
  private async pullToken(): Promise<string> {
    if (this.token && this.token.until > Date.now()) return this.token.value;
    const token = await serviceToken('stups-local-runtime', ['uid'], this.options.environment);
    if (!token) throw new Error('no OAuth credentials (OAUTH2_ACCESS_TOKEN_URL, CREDENTIALS_DIR) to pull with');
    this.token = { value: token.access_token, until: Date.now() + Math.max(0, token.expires_in - 60) * 1000 };
    return token.access_token;
  }

  /** A problem is logged when it first appears (or changes), not every second. */
  private problem(key: string, text: string): void {
    if (this.problems.get(key) === text) return;
    this.problems.set(key, text);
    this.note(text);
  }

  note(text: string): void {
    try {
      writeSync(this.log, `${new Date().toISOString()} ${text}\n`);
    } catch {
      // the log is closed (after close()) or the disk is full: nothing else to tell
    }
  }
}

function sameHost(a: string, b: string): boolean {
  const norm = (h: string) => h.replace(/^localhost(?=:|$)/, '127.0.0.1');
  return norm(a) === norm(b);
}

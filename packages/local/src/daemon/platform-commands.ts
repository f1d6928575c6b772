import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT, OperationError } from '@stups/core/errors';
import type { IoHost } from '@stups/core/io';
import { portIsFree } from '../contract/loopback-port.js';
import { carriesToken } from '../contract/own-process.js';
import { formatExports, offLine, type RuntimeChoice, type ServiceOff } from '../contract/platform-service.js';
import { ensurePrivateDir } from '../contract/state-files.js';
import { inspectPlatform, type PartHealth } from './platform-health.js';
import { READY_TIMEOUT_MS, startDaemon, stopPlatform } from './platform-lifecycle.js';
import {
  hasRunFiles,
  type PlatformRecord,
  platformEnvironment,
  portsOf,
  readDaemon,
  readLastPorts,
  readRuntimeRecord,
  resolveStateDir,
} from './platform-state.js';
import { PLATFORM_SERVICES } from './services.js';
import { withStateLock } from './state-lock.js';

/**
 * `up`, `down`, `status` and `env`: each a function over the list of services that tells the host
 * what happens (results — the export lines, the status table — and progress notes, each with a code
 * registered in platform-messages.ts) and returns the exit code; the CLI only parses arguments and
 * calls them.
 */

export interface UpOptions {
  region: string;
  /**
   * Per service name, the port of its endpoint; a service left out gets the port it had in the last run
   * (after `down`, or when `up` restarts a platform that died) while that is free, else a free one.
   */
  ports?: Record<string, number>;
  /** The runtime's Docker engine (default `user`). */
  runtime?: RuntimeChoice;
}

const LOCK_TIMEOUT_MS = READY_TIMEOUT_MS + 30_000;

export async function upCommand(stateDir: string, options: UpOptions, host: IoHost): Promise<number> {
  ensurePrivateDir(stateDir);
  return withStateLock(stateDir, lockOptions(stateDir, host), async () => {
    const view = await inspectPlatform(stateDir);
    if (view.state === 'running') {
      const { record } = view;
      if (record.region !== options.region) {
        host.notify({
          level: 'info',
          code: 'local.up-other-region',
          text: `stups-local already runs in ${stateDir} with region ${record.region}; stop it first to change the region.`,
          data: { stateDir, region: record.region },
        });
      } else {
        const endpoint = record.services[0]?.endpoint;
        host.notify({
          level: 'info',
          code: 'local.up-already-running',
          text: `stups-local already runs at ${endpoint} (PID ${record.pid}).`,
          data: { endpoint, pid: record.pid },
        });
      }
      const ignored = ignoredOptions(record, options);
      if (ignored.length > 0)
        host.notify({
          level: 'warn',
          code: 'local.up-options-ignored',
          text: `${ignored.join(' and ')} not applied: they take effect when the platform starts (${inStateDir('stups-local down', stateDir)}, then up with them).`,
          data: { ignored },
        });
      offNotes(host, record, stateDir);
      printEnvironment(host, record);
      return EXIT.OK;
    }
    let ports: Record<string, number> = {};
    if (view.state === 'broken' || view.state === 'orphaned') {
      host.notify({
        level: 'info',
        code: 'local.up-restarting',
        text: `stups-local in ${stateDir} is broken (${problems(view)}); restarting it.`,
        data: { stateDir },
      });
      ports = await stopForRestart(stateDir, view.record);
    } else if (view.state === 'stale') {
      ports = await stopForRestart(stateDir, view.record);
    } else {
      if (hasRunFiles(stateDir)) await stopPlatform(stateDir, readDaemon(stateDir));
      ports = await stillFree(readLastPorts(stateDir));
    }
    // A port asked for by name is that service's, even when another service had it last time.
    const asked = new Set(Object.values(options.ports ?? {}));
    for (const [name, port] of Object.entries(ports)) if (asked.has(port)) delete ports[name];
    Object.assign(ports, options.ports);

    // `--runtime none` starts no runtime: it is not named among what starts.
    const starting = PLATFORM_SERVICES.filter((s) => !(s.name === 'runtime' && options.runtime === 'none'));
    host.notify({
      level: 'info',
      code: 'local.up-starting',
      text: `Starting stups-local (state in ${stateDir}): ${starting.map((s) => s.name).join(', ')}..`,
      data: { services: starting.map((s) => s.name), stateDir },
    });
    const record = await startDaemon(stateDir, { region: options.region, ports, runtime: options.runtime });
    const on = record.services.filter((s) => !s.off);
    host.notify({
      level: 'info',
      code: 'local.up-started',
      // One line per service (what it is, where, what to know), not one paragraph that wraps.
      text: `stups-local is up, region ${record.region}:\n${on.map((s) => `  ${s.summary}`).join('\n')}`,
      data: { endpoints: endpointsOf(record), region: record.region, pid: record.pid },
    });
    offNotes(host, record, stateDir);
    printEnvironment(host, record);
    return EXIT.OK;
  });
}

export async function downCommand(stateDir: string, host: IoHost): Promise<number> {
  const notRunningNote = () =>
    host.notify({
      level: 'info',
      code: 'local.down-not-running',
      text: `stups-local is not running (state directory ${stateDir}).`,
      data: { stateDir },
    });
  if (!existsSync(stateDir)) {
    // The state directory is gone, but the daemon's own record may still name what runs.
    const record = readRuntimeRecord(stateDir);
    if (record && carriesToken(record.token)(record.pid)) {
      host.notify({
        level: 'info',
        code: 'local.down-state-dir-deleted',
        text: `The state directory ${stateDir} was deleted while stups-local ran; stopping it ${pidList(record)}..`,
        data: { stateDir, pids: pidsOf(record) },
      });
      await stopPlatform(stateDir, record);
      stoppedNote(host);
      return EXIT.OK;
    }
    notRunningNote();
    return EXIT.OK;
  }
  return withStateLock(stateDir, lockOptions(stateDir, host), async () => {
    const view = await inspectPlatform(stateDir);
    switch (view.state) {
      case 'absent':
        if (!hasRunFiles(stateDir)) {
          notRunningNote();
          return EXIT.OK;
        }
        await stopPlatform(stateDir, readDaemon(stateDir));
        break;
      case 'stale':
        host.notify({
          level: 'info',
          code: 'local.down-stale-record',
          text: `stups-local is not running (state directory ${stateDir}); removing the stale record of PID ${view.record.pid}.`,
          data: { stateDir, pid: view.record.pid },
        });
        await stopPlatform(stateDir, view.record);
        return EXIT.OK;
      case 'orphaned':
        host.notify({
          level: 'info',
          code: 'local.down-record-deleted',
          text: `The record in ${stateDir} was deleted while stups-local ran; stopping it ${pidList(view.record)}..`,
          data: { stateDir, pids: pidsOf(view.record) },
        });
        await stopPlatform(stateDir, view.record);
        break;
      default:
        host.notify({
          level: 'info',
          code: 'local.down-stopping',
          text: `Stopping stups-local ${pidList(view.record)}..`,
          data: { pids: pidsOf(view.record) },
        });
        await stopPlatform(stateDir, view.record);
    }
    stoppedNote(host);
    return EXIT.OK;
  });
}

export async function statusCommand(stateDir: string, host: IoHost): Promise<number> {
  const view = await inspectPlatform(stateDir);
  if (view.state === 'absent') {
    host.notify({
      level: 'result',
      code: 'local.status-not-running',
      text: `stups-local is not running (state directory ${stateDir})`,
      data: { stateDir },
    });
    return EXIT.FAILED;
  }
  if (view.state === 'stale') {
    host.notify({
      level: 'result',
      code: 'local.status-not-running',
      text: `stups-local is not running (state directory ${stateDir}; recorded PID ${view.record.pid} is not its platform)`,
      data: { stateDir, pid: view.record.pid },
    });
    return EXIT.FAILED;
  }
  const deleted = view.state === 'orphaned' && !view.stateDirExists ? '  (deleted)' : '';
  const rows: [string, string][] = [
    ...view.parts.map((p): [string, string] => [p.label, `${p.endpoint}  PID ${p.pid}  ${p.state}`]),
    // A service that runs nothing of its own (even without OpenSSH, the runtime without a Docker engine)
    // says why, and how to turn it on.
    ...view.record.services
      .filter((s) => s.parts.length === 0)
      .map((s): [string, string] => [s.name, s.off ? offLine(offIn(s.off, stateDir)) : s.summary]),
    ...view.record.services.flatMap((s) => (s.notes ?? []).map((n): [string, string] => [s.name, `NOTE: ${n}`])),
    ['region', view.record.region],
    ['since', view.record.startedAt],
    ['state', `${stateDir}${deleted}`],
  ];
  const width = Math.max(7, ...rows.map(([k]) => k.length + 1));
  host.notify({
    level: 'result',
    code: 'local.status-table',
    text: rows.map(([k, v]) => `${k.padEnd(width)}${v}`).join('\n'),
    data: {
      state: view.state,
      parts: view.parts.map(({ label, endpoint, pid, state }) => ({ label, endpoint, pid, state })),
      off: offServices(view.record, stateDir),
      region: view.record.region,
      since: view.record.startedAt,
      stateDir,
    },
  });
  if (view.state === 'running') return EXIT.OK;
  if (view.state === 'orphaned') {
    const what = view.stateDirExists ? `its record in ${stateDir}` : `its state directory ${stateDir}`;
    host.notify({
      level: 'result',
      code: 'local.status-orphaned',
      text: `stups-local runs (PID ${view.record.pid}), but ${what} was deleted; stop it with: stups-local down`,
      data: { pid: view.record.pid, stateDir },
    });
  } else {
    host.notify({
      level: 'result',
      code: 'local.status-broken',
      text: `stups-local is broken (${problems(view)}); restart it with: stups-local up`,
      data: { stateDir },
    });
  }
  return EXIT.FAILED;
}

export async function envCommand(stateDir: string, host: IoHost): Promise<number> {
  const view = await inspectPlatform(stateDir);
  if (view.state === 'running') {
    printEnvironment(host, view.record);
    return EXIT.OK;
  }
  if (view.state === 'broken' || view.state === 'orphaned') {
    throw new OperationError(`stups-local in ${stateDir} is broken (${problems(view)})`, {
      code: 'local.broken',
      hint: `Restart it with: eval "$(${inStateDir('stups-local up', stateDir)})"`,
    });
  }
  throw notRunning(stateDir);
}

export function notRunning(stateDir: string): OperationError {
  return new OperationError(`stups-local is not running (state directory ${stateDir})`, {
    code: 'local.not-running',
    hint: `Start it with: eval "$(${inStateDir('stups-local up', stateDir)})"`,
  });
}

/** The export lines on stdout: what `eval "$(stups-local up)"` reads, and nothing else. */
function printEnvironment(host: IoHost, record: PlatformRecord): void {
  const environment = platformEnvironment(record);
  if (Object.keys(environment).length === 0) return;
  host.notify({
    level: 'result',
    code: 'local.environment',
    text: formatExports(environment).replace(/\n$/, ''),
    data: { environment },
  });
}

/** The services that are off, with why and the command that turns each on. */
function offServices(record: PlatformRecord, stateDir: string): { service: string; why: string; enable: string }[] {
  return record.services.flatMap((s) => (s.off ? [{ service: s.name, ...offIn(s.off, stateDir) }] : []));
}

/**
 * A `stups-local` command as the user types it for this state directory: with `--state-dir DIR` unless
 * DIR is the one a plain command finds (`STUPS_LOCAL_STATE_DIR`, else the default).
 */
function inStateDir(command: string, stateDir: string): string {
  if (resolve(stateDir) === resolve(resolveStateDir(undefined, process.env))) return command;
  const quoted = /^[\w@%+=:,./-]+$/.test(stateDir) ? stateDir : `'${stateDir.replaceAll("'", "'\\''")}'`;
  return `${command} --state-dir ${quoted}`;
}

/** The commands that turn a service on, for this state directory. */
function offIn(off: ServiceOff, stateDir: string): ServiceOff {
  return { ...off, enable: off.enable.replace(/\bstups-local (up|down)\b/g, (c) => inStateDir(c, stateDir)) };
}

/**
 * The options of `up` that only a start applies, given while the platform already runs with others:
 * `--port` for a service on another port, `--runtime` other than the default where the running one differs.
 */
function ignoredOptions(record: PlatformRecord, options: UpOptions): string[] {
  const running = portsOf(record);
  const ignored = Object.entries(options.ports ?? {})
    .filter(([name, port]) => running[name] !== port)
    .map(([name, port]) => `--port ${name === 'aws' ? '' : `${name}=`}${port}`);
  const runtime = record.services.find((s) => s.name === 'runtime');
  const runs = !runtime || runtime.off ? 'none' : runtime.parts.some((p) => p.label === 'dockerd') ? 'private' : 'user';
  if (options.runtime && options.runtime !== 'user' && options.runtime !== runs)
    ignored.push(`--runtime ${options.runtime}`);
  return ignored;
}

/** One line per service that is off: what, why, and the command that turns it on. */
function offNotes(host: IoHost, record: PlatformRecord, stateDir: string): void {
  for (const off of offServices(record, stateDir)) {
    host.notify({
      level: 'info',
      code: 'local.up-off',
      text: `${off.service} ${offLine(off)}`,
      data: off,
    });
  }
}

function stoppedNote(host: IoHost): void {
  host.notify({ level: 'info', code: 'local.down-stopped', text: 'stups-local stopped.' });
}

function lockOptions(stateDir: string, host: IoHost) {
  return {
    timeoutMs: LOCK_TIMEOUT_MS,
    onWait: (pid: number) =>
      host.notify({
        level: 'info',
        code: 'local.lock-wait',
        text: `Waiting for another stups-local command (PID ${pid}) on ${stateDir}..`,
        data: { pid, stateDir },
      }),
  };
}

function endpointsOf(record: PlatformRecord): Record<string, string> {
  return Object.fromEntries(record.services.map((s) => [s.name, s.endpoint]));
}

function problems(view: { state: string; parts: PartHealth[] }): string {
  const bad = view.parts.filter((p) => p.state !== 'running').map((p) => `${p.label} PID ${p.pid} ${p.state}`);
  if (view.state === 'orphaned') bad.unshift('its state directory or its record there was deleted');
  return bad.join(', ');
}

/** The daemon and every part that is a process of its own. */
function pidsOf(record: PlatformRecord): { label: string; pid: number }[] {
  const parts = record.services.flatMap((s) => s.parts).filter((p) => p.pid !== record.pid);
  return [{ label: 'platform', pid: record.pid }, ...parts.map(({ label, pid }) => ({ label, pid }))];
}

/** `(platform PID 1, moto PID 2)`. */
function pidList(record: PlatformRecord): string {
  return `(${pidsOf(record)
    .map((p) => `${p.label} PID ${p.pid}`)
    .join(', ')})`;
}

/**
 * Stops what is left of a platform and returns the ports to start it on again: each service keeps its
 * endpoint (so the user's environment stays valid) while that port is free.
 */
async function stopForRestart(stateDir: string, record: PlatformRecord): Promise<Record<string, number>> {
  await stopPlatform(stateDir, record);
  return stillFree(portsOf(record));
}

/** The ports that no other process has taken since. */
async function stillFree(ports: Record<string, number>): Promise<Record<string, number>> {
  const free: Record<string, number> = {};
  for (const [name, port] of Object.entries(ports)) if (await portIsFree('127.0.0.1', port)) free[name] = port;
  return free;
}

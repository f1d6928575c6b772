import { existsSync } from 'node:fs';
import { OperationError } from '@stups/core';
import { carriesToken } from './own-process.js';
import { assertPortFree } from './platform.js';
import { inspectPlatform, type PartHealth } from './platform-health.js';
import { READY_TIMEOUT_MS, startDaemon, stopPlatform } from './platform-lifecycle.js';
import {
  formatExports,
  hasRunFiles,
  type PlatformRecord,
  platformEnvironment,
  readDaemon,
  readRuntimeRecord,
} from './platform-state.js';
import { PLATFORM_SERVICES } from './services.js';
import { ensurePrivateDir } from './state-files.js';
import { withStateLock } from './state-lock.js';

/**
 * `up`, `down`, `status` and `env`: each a function over the list of services that writes through the
 * given streams and returns the exit code; the CLI only parses arguments and calls them.
 */
export interface CommandStreams {
  /** Results: export lines, the status table. */
  out(text: string): void;
  /** Progress and notes. */
  err(text: string): void;
}

export interface UpOptions {
  region: string;
  /**
   * Per service name, the port of its endpoint; a service left out gets the port it had before (when
   * `up` restarts a platform that died) or a free one.
   */
  ports?: Record<string, number>;
}

const LOCK_TIMEOUT_MS = READY_TIMEOUT_MS + 30_000;

export async function upCommand(stateDir: string, options: UpOptions, io: CommandStreams): Promise<number> {
  ensurePrivateDir(stateDir);
  return withStateLock(stateDir, lockOptions(stateDir, io), async () => {
    const view = await inspectPlatform(stateDir);
    if (view.state === 'running') {
      const { record } = view;
      if (record.region !== options.region) {
        io.err(
          `stups-local already runs in ${stateDir} with region ${record.region}; stop it first to change the region.\n`,
        );
      } else io.err(`stups-local already runs at ${record.services[0]?.endpoint} (PID ${record.pid}).\n`);
      io.out(formatExports(platformEnvironment(record)));
      return 0;
    }
    let ports: Record<string, number> = {};
    if (view.state === 'broken' || view.state === 'orphaned') {
      io.err(`stups-local in ${stateDir} is broken (${problems(view)}); restarting it.\n`);
      ports = await stopForRestart(stateDir, view.record);
    } else if (view.state === 'stale') {
      ports = await stopForRestart(stateDir, view.record);
    } else if (hasRunFiles(stateDir)) {
      await stopPlatform(stateDir, readDaemon(stateDir));
    }
    Object.assign(ports, options.ports);

    io.err(`Starting ${PLATFORM_SERVICES.map((s) => s.description).join(', ')} (state in ${stateDir})..\n`);
    const record = await startDaemon(stateDir, { region: options.region, ports });
    io.err(`stups-local is up: ${record.services.map((s) => s.summary).join(', ')}, region ${record.region}.\n`);
    io.out(formatExports(platformEnvironment(record)));
    return 0;
  });
}

export async function downCommand(stateDir: string, io: CommandStreams): Promise<number> {
  if (!existsSync(stateDir)) {
    // The state directory is gone, but the daemon's own record may still name what runs.
    const record = readRuntimeRecord(stateDir);
    if (record && carriesToken(record.token)(record.pid)) {
      io.err(`The state directory ${stateDir} was deleted while stups-local ran; stopping it ${pidList(record)}..\n`);
      await stopPlatform(stateDir, record);
      io.err('stups-local stopped.\n');
      return 0;
    }
    io.err(`stups-local is not running (state directory ${stateDir}).\n`);
    return 0;
  }
  return withStateLock(stateDir, lockOptions(stateDir, io), async () => {
    const view = await inspectPlatform(stateDir);
    switch (view.state) {
      case 'absent':
        if (!hasRunFiles(stateDir)) {
          io.err(`stups-local is not running (state directory ${stateDir}).\n`);
          return 0;
        }
        await stopPlatform(stateDir, readDaemon(stateDir));
        break;
      case 'stale':
        io.err(
          `stups-local is not running (state directory ${stateDir}); removing the stale record of PID ${view.record.pid}.\n`,
        );
        await stopPlatform(stateDir, view.record);
        return 0;
      case 'orphaned':
        io.err(`The record in ${stateDir} was deleted while stups-local ran; stopping it ${pidList(view.record)}..\n`);
        await stopPlatform(stateDir, view.record);
        break;
      default:
        io.err(`Stopping stups-local ${pidList(view.record)}..\n`);
        await stopPlatform(stateDir, view.record);
    }
    io.err('stups-local stopped.\n');
    return 0;
  });
}

export async function statusCommand(stateDir: string, io: CommandStreams): Promise<number> {
  const view = await inspectPlatform(stateDir);
  if (view.state === 'absent') {
    io.out(`stups-local is not running (state directory ${stateDir})\n`);
    return 1;
  }
  if (view.state === 'stale') {
    io.out(
      `stups-local is not running (state directory ${stateDir}; recorded PID ${view.record.pid} is not its platform)\n`,
    );
    return 1;
  }
  const deleted = view.state === 'orphaned' && !view.stateDirExists ? '  (deleted)' : '';
  const rows: [string, string][] = [
    ...view.parts.map((p): [string, string] => [p.label, `${p.endpoint}  PID ${p.pid}  ${p.state}`]),
    ['region', view.record.region],
    ['since', view.record.startedAt],
    ['state', `${stateDir}${deleted}`],
  ];
  const width = Math.max(7, ...rows.map(([k]) => k.length + 1));
  for (const [k, v] of rows) io.out(`${k.padEnd(width)}${v}\n`);
  if (view.state === 'running') return 0;
  if (view.state === 'orphaned') {
    const what = view.stateDirExists ? `its record in ${stateDir}` : `its state directory ${stateDir}`;
    io.out(`stups-local runs (PID ${view.record.pid}), but ${what} was deleted; stop it with: stups-local down\n`);
  } else io.out(`stups-local is broken (${problems(view)}); restart it with: stups-local up\n`);
  return 1;
}

export async function envCommand(stateDir: string, io: CommandStreams): Promise<number> {
  const view = await inspectPlatform(stateDir);
  if (view.state === 'running') {
    io.out(formatExports(platformEnvironment(view.record)));
    return 0;
  }
  if (view.state === 'broken' || view.state === 'orphaned') {
    throw new OperationError(`stups-local in ${stateDir} is broken (${problems(view)})`, {
      code: 'local.broken',
      hint: 'Restart it with: eval "$(stups-local up)"',
    });
  }
  throw notRunning(stateDir);
}

export function notRunning(stateDir: string): OperationError {
  return new OperationError(`stups-local is not running (state directory ${stateDir})`, {
    code: 'local.not-running',
    hint: 'Start it with: eval "$(stups-local up)"',
  });
}

function lockOptions(stateDir: string, io: CommandStreams) {
  return {
    timeoutMs: LOCK_TIMEOUT_MS,
    onWait: (pid: number) => io.err(`Waiting for another stups-local command (PID ${pid}) on ${stateDir}..\n`),
  };
}

function problems(view: { state: string; parts: PartHealth[] }): string {
  const bad = view.parts.filter((p) => p.state !== 'running').map((p) => `${p.label} PID ${p.pid} ${p.state}`);
  if (view.state === 'orphaned') bad.unshift('its state directory or its record there was deleted');
  return bad.join(', ');
}

/** `(platform PID 1, moto PID 2)`: the daemon and every part that is a process of its own. */
function pidList(record: PlatformRecord): string {
  const parts = record.services.flatMap((s) => s.parts).filter((p) => p.pid !== record.pid);
  return `(${[`platform PID ${record.pid}`, ...parts.map((p) => `${p.label} PID ${p.pid}`)].join(', ')})`;
}

/**
 * Stops what is left of a platform and returns the ports to start it on again: each service keeps its
 * endpoint (so the user's environment stays valid) while that port is free.
 */
async function stopForRestart(stateDir: string, record: PlatformRecord): Promise<Record<string, number>> {
  await stopPlatform(stateDir, record);
  const ports: Record<string, number> = {};
  for (const service of record.services) {
    const port = Number(new URL(service.endpoint).port);
    if (
      port &&
      (await assertPortFree(port).then(
        () => true,
        () => false,
      ))
    )
      ports[service.name] = port;
  }
  return ports;
}

import { existsSync } from 'node:fs';
import { carriesToken, isRunning } from '../contract/own-process.js';
import type { ServicePart } from '../contract/platform-service.js';
import { sshAnswers, unixHttpAnswers } from '../contract/probes.js';
import { type PlatformRecord, readPlatform, readRuntimeRecord } from './platform-state.js';

/**
 * What really runs for a state directory: the recorded daemon is checked to be ours (by its token),
 * every part of every service to run (and be ours) and to answer on its endpoint.
 */
export type PartState = 'running' | 'NOT RUNNING' | 'NOT ANSWERING';

export interface PartHealth extends ServicePart {
  service: string;
  state: PartState;
}

export type PlatformView =
  /** Nothing recorded (leftover files of a start that never finished may exist). */
  | { state: 'absent' }
  /** Recorded, but the daemon is gone or the PID now belongs to another process. */
  | { state: 'stale'; record: PlatformRecord }
  | { state: 'running'; record: PlatformRecord; parts: PartHealth[] }
  /** The daemon runs but a part died or does not answer. */
  | { state: 'broken'; record: PlatformRecord; parts: PartHealth[] }
  /** The daemon runs, but its state directory (or its record there) was deleted. */
  | { state: 'orphaned'; record: PlatformRecord; parts: PartHealth[]; stateDirExists: boolean };

const PROBE_TIMEOUT_MS = 2_000;

export async function inspectPlatform(stateDir: string): Promise<PlatformView> {
  const inDir = readPlatform(stateDir);
  const record = inDir ?? readRuntimeRecord(stateDir);
  if (!record) return { state: 'absent' };
  const isOurs = carriesToken(record.token);
  if (!isOurs(record.pid)) return { state: 'stale', record };
  const parts = await Promise.all(
    record.services.flatMap((service) =>
      service.parts.map(async (part): Promise<PartHealth> => {
        const alive = isRunning(part.pid) && isOurs(part.pid);
        const state: PartState = !alive ? 'NOT RUNNING' : (await answers(part)) ? 'running' : 'NOT ANSWERING';
        return { ...part, service: service.name, state };
      }),
    ),
  );
  if (!inDir) return { state: 'orphaned', record, parts, stateDirExists: existsSync(stateDir) };
  return { state: parts.every((p) => p.state === 'running') ? 'running' : 'broken', record, parts };
}

/**
 * Any HTTP answer counts: the probe asks whether something serves, not whether a request is valid.
 * An `ssh://host:port` part (sshd) answers when it sends its SSH banner; a `unix:///path` part (a
 * private dockerd) when HTTP over that socket answers.
 */
async function answers(part: ServicePart): Promise<boolean> {
  const ssh = /^ssh:\/\/([^:/]+):(\d+)$/.exec(part.endpoint);
  if (ssh) return sshAnswers(ssh[1] as string, Number(ssh[2]), PROBE_TIMEOUT_MS);
  if (part.endpoint.startsWith('unix://'))
    return unixHttpAnswers(part.endpoint.slice('unix://'.length), part.probePath ?? '/', PROBE_TIMEOUT_MS);
  try {
    const res = await fetch(`${part.endpoint}${part.probePath ?? '/'}`, {
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

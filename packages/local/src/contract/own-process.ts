import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { OperationError } from '@stups/core';

/**
 * The processes stups-local starts and later signals, by PID. A PID file can outlive its process and the
 * PID be reused by anything else, so no signal is sent unless the process is shown to be ours first.
 */

/** Set in the environment of the platform daemon, and inherited by every process it starts. */
export const PLATFORM_TOKEN_ENV = 'STUPS_LOCAL_TOKEN';

/**
 * What a process that shows its arguments to everyone (sshd rewrites its title over its environment)
 * carries on its command line instead of the token: a digest of it, which tells our process from
 * another without showing the token.
 */
export function tokenMarker(token: string): string {
  return `${PLATFORM_TOKEN_ENV}_ID=${createHash('sha256').update(token).digest('hex').slice(0, 32)}`;
}

/** Decides whether a live PID is still the process we started. */
export type Ownership = (pid: number) => boolean;

/** True while the process exists and is not a zombie. */
export function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = `/proc/${pid}/stat`;
  if (existsSync(stat)) {
    try {
      const state = readFileSync(stat, 'utf8').replace(/^.*\)\s*/s, '')[0];
      return state !== 'Z' && state !== 'X';
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Ours when the process carries `STUPS_LOCAL_TOKEN=<token>` in its environment (Linux: /proc/PID/environ,
 * which only our own processes let us read; elsewhere `ps eww`, which shows the environment).
 */
export function carriesToken(token: string): Ownership {
  return (pid) => {
    if (!token || !isRunning(pid)) return false;
    const entry = `${PLATFORM_TOKEN_ENV}=${token}`;
    const marker = tokenMarker(token);
    if (existsSync('/proc/self/environ')) {
      for (const file of ['environ', 'cmdline']) {
        try {
          // A process that rewrites its title (sshd) has its arguments in one string: words count too.
          const separators = file === 'cmdline' ? /[\0 ]/ : /\0/;
          const words = readFileSync(`/proc/${pid}/${file}`, 'latin1').split(separators);
          if (words.includes(entry) || (file === 'cmdline' && words.includes(marker))) return true;
        } catch {
          // Not readable: another user's process, or gone.
        }
      }
    }
    try {
      const shown = execFileSync('ps', ['eww', '-o', 'command=', '-p', String(pid)], { encoding: 'latin1' });
      return shown.split(/\s/).some((w) => w === entry || w === marker);
    } catch {
      return false;
    }
  };
}

export type StopOutcome = 'stopped' | 'not-running' | 'not-ours';

/**
 * The one way stups-local ends a process: check that it is ours, SIGTERM, wait, SIGKILL (ownership checked
 * again first), wait. Throws when it outlives SIGKILL.
 */
export async function stopPid(
  pid: number,
  isOurs: Ownership,
  options: { graceMs?: number; label?: string } = {},
): Promise<StopOutcome> {
  if (!isRunning(pid)) return 'not-running';
  if (!isOurs(pid)) return 'not-ours';
  if (!signal(pid, 'SIGTERM')) return 'not-running';
  if (await waitForExit(pid, options.graceMs ?? 10_000)) return 'stopped';
  if (isOurs(pid)) signal(pid, 'SIGKILL');
  if (await waitForExit(pid, 5_000)) return 'stopped';
  throw new OperationError(`${options.label ?? 'Process'} (PID ${pid}) did not exit after SIGKILL`, {
    code: 'local.stop-failed',
  });
}

function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await sleep(50);
  }
  return !isRunning(pid);
}

import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { OperationError } from '@stups/core';
import { freeLoopbackPort, portIsFree } from '../contract/loopback-port.js';
import { isRunning, type Ownership, PLATFORM_TOKEN_ENV, stopPid, tokenMarker } from '../contract/own-process.js';
import { sshAnswers } from '../contract/probes.js';
import { ensurePrivateDir, openLogFile, readStateFile, writeStateFile } from '../contract/state-files.js';

/**
 * One SSH host of the local platform: a real OpenSSH `sshd -D -f <config>` run as the current user
 * on a loopback address and a free high port, with its own host key and config in the state
 * directory. Who may log in is decided by files in `authorized_keys/<login>` under its directory,
 * which sshd reads on every connection; even writes them.
 */
export interface SshdHost {
  /** The DNS-style name users and even know it by. */
  name: string;
  address: string;
  port: number;
  pid: number;
  dir: string;
  /** `ssh-ed25519 AAAA…` */
  hostKey: string;
  stop(): Promise<void>;
}

export const SSHD_PID_FILE = 'sshd.pid';
const INSTALL_HINT = 'Install OpenSSH: apt-get install -y openssh-server openssh-client (sshd, ssh-keygen, ssh).';

export function sshdCommand(): string {
  for (const path of ['/usr/sbin/sshd', '/usr/local/sbin/sshd', '/opt/homebrew/sbin/sshd'])
    if (existsSync(path)) return path;
  return 'sshd';
}

export function authorizedKeysDir(hostDir: string): string {
  return join(hostDir, 'authorized_keys');
}

function sshdConfig(dir: string, address: string, port: number): string {
  return [
    '# Written by stups-local (even/sshd-host.ts): one local SSH host, run as the current user.',
    `ListenAddress ${address}:${port}`,
    `HostKey ${join(dir, 'host_ed25519')}`,
    'PidFile none',
    // even grants by writing these files; sshd reads them on every connection.
    `AuthorizedKeysFile ${authorizedKeysDir(dir)}/%u`,
    'StrictModes no',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    'AllowAgentForwarding yes',
    'AllowTcpForwarding yes',
    'UseDNS no',
    'PrintMotd no',
    'LogLevel VERBOSE',
    '',
  ].join('\n');
}

function ensureHostKey(dir: string): string {
  const keyPath = join(dir, 'host_ed25519');
  if (!existsSync(keyPath)) {
    try {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'stups-local host key', '-f', keyPath], {
        stdio: 'ignore',
      });
    } catch (e) {
      throw new OperationError(`ssh-keygen could not create a host key in ${dir}`, {
        code: 'local.sshd-missing',
        hint: INSTALL_HINT,
        cause: e,
      });
    }
  }
  return readFileSync(`${keyPath}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
}

/** sshd refuses to start without its privilege separation directory. */
function ensurePrivsepDir(): void {
  if (existsSync('/run/sshd') || process.platform !== 'linux') return;
  try {
    mkdirSync('/run/sshd', { mode: 0o755 });
  } catch {
    // Not root: sshd will say what it misses; the error below quotes its log.
  }
}

const SETPRIV = '/usr/bin/setpriv';

/**
 * `setpriv --pdeathsig SIGTERM -- command …` where util-linux's setpriv exists (Linux): setpriv execs
 * the command in its own process, which keeps the signal. Elsewhere the command as it is; a grant
 * still ends on time there (`expiry-time` in authorized_keys), and the next `up` or `down` stops it.
 */
export function withParentDeathSignal(command: string, args: string[]): [string, string[]] {
  if (process.platform === 'linux' && existsSync(SETPRIV))
    return [SETPRIV, ['--pdeathsig', 'SIGTERM', '--', command, ...args]];
  return [command, args];
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-8).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function startSshdHost(options: { name: string; address: string; dir: string }): Promise<SshdHost> {
  const { name, address, dir } = options;
  ensurePrivateDir(dir, { inside: true });
  ensurePrivateDir(authorizedKeysDir(dir), { inside: true });
  const hostKey = ensureHostKey(dir);
  ensurePrivsepDir();
  let lastLog = '';
  // The port of the last run first, so that a restart keeps the exported ports and users' ssh config.
  const portFile = join(dir, 'sshd.port');
  const previous = Number(readStateFile(portFile)?.trim());
  for (let attempt = 0; attempt < 5; attempt++) {
    const port =
      attempt === 0 && Number.isInteger(previous) && previous > 1024 && (await portIsFree(address, previous))
        ? previous
        : await freeLoopbackPort(address);
    const configPath = join(dir, 'sshd_config');
    writeStateFile(configPath, sshdConfig(dir, address, port));
    const logPath = join(dir, 'sshd.log');
    const logFd = openLogFile(logPath, 'truncate');
    const command = sshdCommand();
    // sshd rewrites its process title over its environment; a digest of the platform token on its
    // command line keeps it recognisable as ours (own-process.ts) without showing the token in `ps`.
    const token = process.env[PLATFORM_TOKEN_ENV];
    const tokenArgs = token ? ['-o', `SetEnv ${tokenMarker(token)}`] : [];
    // sshd must not outlive the platform (its grants' expiry job dies with it): it gets SIGTERM when
    // the daemon that started it dies, also by SIGKILL (Linux parent-death signal, via setpriv).
    const [file, args] = withParentDeathSignal(command, ['-D', '-e', '-f', configPath, ...tokenArgs]);
    const child = spawn(file, args, {
      stdio: ['ignore', logFd, logFd],
      detached: true,
    });
    closeSync(logFd);
    let exited = false;
    let spawnError: NodeJS.ErrnoException | undefined;
    child.on('exit', () => {
      exited = true;
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = e;
      exited = true;
    });
    child.unref();
    await new Promise<void>((resolve) => {
      child.once('spawn', resolve);
      child.once('error', () => resolve());
    });
    if (spawnError || child.pid === undefined)
      throw new OperationError(`Cannot start ${command}: ${spawnError?.message ?? 'no PID'}`, {
        code: 'local.sshd-missing',
        hint: INSTALL_HINT,
        cause: spawnError,
      });
    const pid = child.pid;
    const ours: Ownership = () => child.exitCode === null && child.signalCode === null;
    writeStateFile(join(dir, SSHD_PID_FILE), `${pid}\n`);
    const deadline = Date.now() + 10_000;
    while (!exited && Date.now() < deadline && !(await sshAnswers(address, port))) await sleep(50);
    if (!exited && Date.now() < deadline) {
      writeStateFile(portFile, `${port}\n`);
      return {
        name,
        address,
        port,
        pid,
        dir,
        hostKey,
        stop: async () => {
          await stopPid(pid, ours, { graceMs: 3_000, label: `sshd of ${name}` });
          await rm(join(dir, SSHD_PID_FILE), { force: true });
        },
      };
    }
    await stopPid(pid, ours, { graceMs: 1_000, label: `sshd of ${name}` });
    await rm(join(dir, SSHD_PID_FILE), { force: true });
    lastLog = tail(logPath);
    if (!/Address already in use|Cannot bind/i.test(lastLog)) break;
  }
  throw new OperationError(`sshd for ${name} (${address}) did not start:\n${lastLog}`, {
    code: 'local.sshd-start-failed',
    hint: `${INSTALL_HINT} Full log: ${join(dir, 'sshd.log')}`,
  });
}

/** Stops an sshd a killed daemon left behind (its PID file in the host's directory). */
export async function stopSshdByPidFile(dir: string, isOurs: Ownership): Promise<void> {
  const text = readStateFile(join(dir, SSHD_PID_FILE));
  if (text === undefined) return;
  const pid = Number.parseInt(text.trim(), 10);
  if (isRunning(pid)) await stopPid(pid, isOurs, { graceMs: 3_000, label: 'sshd' });
  await rm(join(dir, SSHD_PID_FILE), { force: true });
}

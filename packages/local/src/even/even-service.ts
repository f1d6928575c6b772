import { appendFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { OperationError } from '@stups/core';
import { onPath } from '../contract/on-path.js';
import type { Ownership } from '../contract/own-process.js';
import { offService, type PlatformService } from '../contract/platform-service.js';
import { ensurePrivateDir, writeStateFile } from '../contract/state-files.js';
import { findLocalAccount } from '../oauth/oauth-accounts.js';
import { AccessGranting } from './access-granting.js';
import { startEvenServer } from './even-server.js';
import { seedOwnPublicKey } from './public-keys.js';
import { type SshdHost, sshdCommand, startSshdHost, stopSshdByPidFile } from './sshd-host.js';

/** What even set right at start (a corrupt request store moved aside), besides `up`'s summary. */
export const EVEN_LOG_FILE = 'even.log';

/**
 * even and odd on one machine: the even API (in the daemon's process) and two real sshd hosts on
 * loopback, the "odd" bastion and one team host behind it. State (requests, audit log, keys, host
 * keys) lives in `<state>/even/` and survives `down`/`up`; grants that expired while the platform was
 * down are removed when it starts.
 */
export const EVEN_DIR = 'even';
export const EVEN_DOMAIN = 'example.org';
/** even's HTTP_ALLOWED_HOSTNAME_TEMPLATE here: the team's odd bastions. */
export const ALLOWED_HOSTNAME_TEMPLATE = `odd-[a-z0-9-]*[.]{team}[.]example[.]org`;
/** Test-only: seconds one lifetime minute lasts (default 60), so that expiry can be seen in seconds. */
export const MINUTE_SECONDS_ENV = 'STUPS_LOCAL_EVEN_MINUTE_SECONDS';
/** How often the expiry job runs, in ms (default 30 000 like even's, or half a shortened minute). */
export const JOB_MS_ENV = 'STUPS_LOCAL_EVEN_JOB_MS';

export function localHostNames(region: string, team = 'myteam') {
  return {
    odd: { name: `odd-${region}.${team}.${EVEN_DOMAIN}`, address: '127.0.0.1', dir: 'odd' },
    target: { name: `app-1.${team}.${EVEN_DOMAIN}`, address: '127.0.0.2', dir: 'app-1' },
  };
}

function positive(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const n = Number(env[name]);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** Host names, ports and known host keys for `ssh -F`, so that users need no DNS and no prompts. */
function sshFiles(dir: string, hosts: SshdHost[]): { config: string; knownHosts: string } {
  const knownHostsPath = join(dir, 'known_hosts');
  const knownHosts = hosts.map((h) => `[${h.name}]:${h.port},[${h.address}]:${h.port} ${h.hostKey}`).join('\n');
  const config = [
    '# Written by stups-local: the local even hosts. Use with ssh -F, or Include it in ~/.ssh/config.',
    ...hosts.flatMap((h) => [`Host ${h.name}`, `  HostName ${h.address}`, `  Port ${h.port}`]),
    'Host *',
    `  UserKnownHostsFile ${knownHostsPath}`,
    '  StrictHostKeyChecking yes',
    '',
  ].join('\n');
  writeStateFile(knownHostsPath, `${knownHosts}\n`);
  const configPath = join(dir, 'ssh_config');
  writeStateFile(configPath, config);
  return { config: configPath, knownHosts: knownHostsPath };
}

/** Exported as `off` when even is off, so that piu can say why there is no EVEN_URL. */
export const EVEN_OFF_ENV = 'STUPS_LOCAL_EVEN';
export const OPENSSH_INSTALL = 'apt-get install openssh-server openssh-client';

/** The OpenSSH programs even runs that are not installed (sshd may live in an sbin not on PATH). */
export function missingOpenSsh(env: NodeJS.ProcessEnv = process.env): string[] {
  const missing: string[] = [];
  if (!onPath('sshd', [], env) && sshdCommand() === 'sshd') missing.push('sshd');
  if (!onPath('ssh-keygen', [], env)) missing.push('ssh-keygen');
  return missing;
}

export const evenService: PlatformService = {
  name: 'even',
  description: 'even (SSH access granting) and the odd bastion with one host behind it, both real sshd',
  async start({ stateDir, region, port, environment }) {
    const tokeninfoUrl = environment?.TOKENINFO_URL;
    if (!tokeninfoUrl)
      throw new OperationError('even needs the OAuth service (TOKENINFO_URL) started before it', {
        code: 'local.even-no-oauth',
      });
    const missing = missingOpenSsh();
    // Optional: without OpenSSH the platform runs without even and odd, and says how to get them.
    if (missing.length > 0)
      return offService(
        'even',
        {
          why: `OpenSSH is not installed (no ${missing.join(', ')})`,
          enable: `${OPENSSH_INSTALL}, then stups-local down; stups-local up`,
        },
        { [EVEN_OFF_ENV]: 'off' },
      );
    const evenDir = join(stateDir, EVEN_DIR);
    ensurePrivateDir(evenDir, { inside: true });
    const names = localHostNames(region);
    const env = process.env;
    const minuteMs = (positive(env, MINUTE_SECONDS_ENV) ?? 60) * 1000;
    const jobMs = positive(env, JOB_MS_ENV) ?? Math.min(30_000, minuteMs / 2);
    const login = userInfo().username;
    seedOwnPublicKey(evenDir, login);
    let evenUrl = '';
    const notices: string[] = [];
    const granting = new AccessGranting({
      evenDir,
      hosts: [names.odd, names.target].map((h) => ({ name: h.name, address: h.address, dir: join(evenDir, h.dir) })),
      hostnameTemplate: ALLOWED_HOSTNAME_TEMPLATE,
      teamsOf: (uid) => {
        const team = findLocalAccount(uid)?.team;
        return team ? [team] : [];
      },
      minuteMs,
      publicKeyUrl: (name) => `${evenUrl}/public-keys/${name}/sshkey.pub`,
      notice: (text) => {
        notices.push(text);
        // even's own log beside its state (the daemon alone writes to the streams)
        appendFileSync(join(evenDir, EVEN_LOG_FILE), `${new Date().toISOString()} ${text}\n`, { mode: 0o600 });
      },
    });
    // Before any sshd takes logins: half-done requests are settled, grants that ended while the
    // platform was down are removed, and the keys files are brought in line with the rows.
    await granting.settle();
    await granting.expire();
    await granting.syncAll();
    const hosts: SshdHost[] = [];
    const stopHosts = async () => {
      for (const h of hosts.splice(0).reverse()) await h.stop();
    };
    try {
      for (const h of [names.odd, names.target])
        hosts.push(await startSshdHost({ name: h.name, address: h.address, dir: join(evenDir, h.dir) }));
    } catch (e) {
      await stopHosts();
      throw e;
    }
    const server = await startEvenServer({ granting, evenDir, tokeninfoUrl, port });
    evenUrl = server.url;
    let running: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      running = running.then(() => granting.expire()).catch(() => undefined);
    }, jobMs);
    timer.unref();
    const files = sshFiles(evenDir, hosts);
    const [odd, target] = hosts as [SshdHost, SshdHost];
    return {
      record: {
        name: 'even',
        endpoint: server.url,
        summary: `even at ${server.url}, odd ${odd.name} on ${odd.address}:${odd.port}, ${target.name} on ${target.address}:${target.port}${notices.length ? ` (NOTE: ${notices.join('; ')})` : ''}`,
        ...(notices.length ? { notes: [...notices] } : {}),
        environment: {
          EVEN_URL: server.url,
          ODD_HOST: odd.name,
          PIU_ODD_HOST: odd.name,
          PIU_TARGET_HOST: target.name,
          PIU_ODD_PORT: String(odd.port),
          PIU_TARGET_PORT: String(target.port),
          PIU_SSH_CONFIG: files.config,
        },
        parts: [
          { label: 'even', endpoint: server.url, pid: process.pid, probePath: '/ui/' },
          // Short labels: `status` lines them up in a 7-character column.
          ...hosts.map((h) => ({ label: basename(h.dir), endpoint: `ssh://${h.address}:${h.port}`, pid: h.pid })),
        ],
      },
      stop: async () => {
        clearInterval(timer);
        await running;
        await server.close();
        await stopHosts();
      },
    };
  },
  async cleanUp(stateDir: string, isOurs: Ownership) {
    const names = localHostNames('any');
    for (const h of [names.odd, names.target]) await stopSshdByPidFile(join(stateDir, EVEN_DIR, h.dir), isOurs);
  },
};

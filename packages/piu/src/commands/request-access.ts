import { spawnSync } from 'node:child_process';
import type { CliContext } from '@stups/cli-kit';
import { ask, confirm } from '@stups/cli-kit/prompt';
import { AbortedError, loadToolConfig, UsageError } from '@stups/core';
import { AwsSession, resolveRegion } from '@stups/core/aws';
import * as piu from '@stups/core/piu';
import { version } from '../version.js';
import { assertLocalEvenOn } from './even-off.js';
import { chooseInstance } from './interactive.js';
import { oddHostOf } from './odd-host-choice.js';
import type { RequestAccessRun } from './specs.js';

function regionOf(cli: CliContext, flag: string | undefined): string {
  return resolveRegion({ flag, env: cli.env });
}

function askNeeded(cli: CliContext, what: string, flag: string): void {
  if (!cli.interactive)
    throw new UsageError(`No ${what} is known (no terminal to ask)`, {
      code: 'piu.setting-missing',
      hint: `Pass ${flag}; piu remembers it in piu.yaml.`,
    });
}

export const run: RequestAccessRun = async ([userHost, reasonWords], options, cli) => {
  const configPath = piu.piuConfigPath(cli.env, options.configFile);
  const config = piu.loadPiuConfig(configPath);
  // Without even there is nothing to ask (EC2 Instance Connect needs none).
  if (!options.eic) assertLocalEvenOn(cli.env, Boolean(options.evenUrl));
  if (options.connect && options.tunnel)
    throw new UsageError('Cannot specify both "connect" and "tunnel"', { code: 'piu.connect-and-tunnel' });
  const tunnel = options.tunnel ? piu.parseTunnel(options.tunnel) : undefined;
  const check = options.check && !/^(false|0|no|off)$/i.test(cli.env.PIU_CHECK_INSTANCE ?? '');
  const lifetime = options.lifetime === undefined ? undefined : piu.checkLifetime(options.lifetime);

  let target = userHost;
  let words = reasonWords ?? [];
  let region: string | undefined = options.region;
  let oddHost: string | undefined;
  if (options.interactive) {
    if (!cli.interactive)
      throw new UsageError('--interactive needs a terminal', {
        code: 'piu.interactive-off-tty',
        hint: 'Give the host and reason as arguments instead.',
      });
    region = await ask(cli, 'AWS region', regionOf(cli, options.region));
    oddHost = await ask(
      cli,
      'Odd SSH bastion hostname',
      await oddHostOf(cli, options.oddHost, config.odd_host, region),
    );
    const instance = await chooseInstance(cli, new AwsSession({ region }));
    target = userHost?.includes('@') ? `${userHost.split('@')[0]}@${instance.private_ip}` : instance.private_ip;
    words = [await ask(cli, 'Reason', 'Troubleshooting')];
  }
  if (!target)
    throw new UsageError('Missing argument "host".', {
      code: 'piu.missing-host',
      hint: 'piu request-access [USER@]HOST REASON...',
    });
  const reason = piu.checkReason(words);
  const { user, host } = piu.splitUserHost(target);
  const hostname = piu.checkHostname(host);
  const zignUser = loadToolConfig('zign', cli.env).user;
  const username = piu.resolveUsername(user, cli.env, typeof zignUser === 'string' ? zignUser : undefined);
  const privateTarget = piu.inStupsCidr(hostname);
  if (!options.interactive) {
    region ??= cli.env.AWS_REGION || cli.env.AWS_DEFAULT_REGION || undefined;
    oddHost = await oddHostOf(cli, options.oddHost, config.odd_host, region);
  }
  if (privateTarget && check && !options.interactive) {
    const session = new AwsSession({ region: regionOf(cli, region) });
    if (!(await piu.findInstanceByPrivateIp(session, hostname))) {
      const go = await confirm(
        cli,
        `No running instances found for ${hostname}, do you still want to request access?`,
        '--no-check',
        false,
      );
      if (!go) throw new AbortedError('Aborted!', { code: 'piu.aborted' });
    }
  }
  if (oddHost) piu.checkHostname(oddHost, 'odd host name');

  const keyPath =
    options.sshPublicKey ?? (typeof config.ssh_public_key === 'string' ? config.ssh_public_key : undefined);
  if (options.eic)
    return viaInstanceConnect(cli, {
      hostname,
      oddHost,
      tunnel,
      reason,
      keyPath,
      region,
      connect: options.connect,
      sshConfig: options.sshConfig,
    });

  let evenUrl = options.evenUrl || config.even_url;
  if (!evenUrl) {
    askNeeded(cli, 'even URL', '-E/--even-url (or EVEN_URL)');
    evenUrl = await ask(cli, 'Please enter the Even SSH access granting service URL');
  }
  evenUrl = piu.normalizeEvenUrl(evenUrl);
  if (privateTarget && !oddHost) {
    askNeeded(cli, 'odd host', '-O/--odd-host (or ODD_HOST)');
    oddHost = piu.checkHostname(await ask(cli, 'Please enter the Odd SSH bastion hostname'), 'odd host name');
  }
  // piu remembers both on every run, also when the request then fails.
  piu.rememberPiuConfig(configPath, { even_url: evenUrl, odd_host: oddHost });

  const route = piu.accessRoute(hostname, oddHost);
  cli.host.notify({
    level: 'info',
    code: 'piu.request.start',
    text: route.remoteHost
      ? `Requesting access to host ${route.remoteHost} via ${route.firstHost} for ${username}..`
      : `Requesting access to host ${route.firstHost} for ${username}..`,
  });
  const evenOptions: piu.EvenClientOptions = {
    auth: { env: cli.env, interactive: cli.interactive, host: cli.host, signal: cli.signal },
    signal: cli.signal,
  };
  const granted = await piu.requestAccess(
    evenUrl,
    { username, hostname: route.firstHost, reason, remote_host: route.remoteHost, lifetime_minutes: lifetime },
    evenOptions,
  );
  const expires = await expiryOfGrant(evenUrl, username, route.firstHost, lifetime, evenOptions);
  cli.host.notify({ level: 'result', code: 'piu.request.granted', text: granted, data: { expires } });
  cli.host.notify({
    level: 'info',
    code: 'piu.request.expires',
    text: `The access expires at ${expires
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC')}.`,
    data: { expires: expires.toISOString() },
  });
  warnWithoutKey(cli, keyPath);
  const argv = piu.sshCommand({ route, user: username, tunnel, sshConfig: options.sshConfig, forwardAgent: true });
  return finish(cli, argv, Boolean(options.connect || tunnel));
};

/** When the grant ends: even's own word (stups-local sends it) or the lifetime from now. */
async function expiryOfGrant(
  evenUrl: string,
  username: string,
  hostname: string,
  lifetime: number | undefined,
  options: piu.EvenClientOptions,
): Promise<Date> {
  const fallback = new Date(Date.now() + (lifetime ?? 60) * 60_000);
  try {
    const [newest] = await piu.listAccessRequests(
      evenUrl,
      { username, hostname, status: 'GRANTED', limit: 1 },
      options,
    );
    return newest ? piu.expiryOf(newest) : fallback;
  } catch {
    return fallback;
  }
}

function warnWithoutKey(cli: CliContext, keyPath: string | undefined): void {
  try {
    piu.findSshPublicKey(keyPath, cli.env);
  } catch (e) {
    const hint = (e as UsageError).hint;
    cli.host.notify({
      level: 'warn',
      code: 'piu.no-public-key',
      text: `${(e as Error).message}; you will not be able to log in without one.${hint ? ` ${hint}` : ''}`,
    });
  }
}

function finish(cli: CliContext, argv: string[], run: boolean): number {
  if (run) {
    const ssh = spawnSync(argv[0] as string, argv.slice(1), { stdio: 'inherit', env: cli.env });
    if (ssh.error) throw ssh.error;
    return ssh.status ?? 1;
  }
  cli.host.notify({
    level: 'info',
    code: 'piu.ssh.command',
    text: 'You can access your server with the following command:',
  });
  cli.host.notify({ level: 'result', code: 'piu.ssh.command-line', text: piu.commandLine(argv), data: { argv } });
  return 0;
}

async function viaInstanceConnect(
  cli: CliContext,
  o: {
    hostname: string;
    oddHost?: string;
    tunnel?: piu.Tunnel;
    reason: string;
    keyPath?: string;
    region?: string;
    connect: boolean;
    sshConfig?: string;
  },
): Promise<number> {
  if (!o.oddHost)
    throw new UsageError('EC2 Instance Connect needs the odd host', {
      code: 'piu.eic-no-odd-host',
      hint: 'Pass -O/--odd-host (or ODD_HOST).',
    });
  const key = piu.findSshPublicKey(o.keyPath, cli.env);
  const route = piu.accessRoute(o.hostname, o.oddHost);
  cli.host.notify({
    level: 'info',
    code: 'piu.eic.start',
    text: `Requesting access with EIC to host ${route.remoteHost ?? route.firstHost}`,
  });
  const grant = await piu.grantWithInstanceConnect(new AwsSession({ region: regionOf(cli, o.region) }), {
    oddHost: route.firstHost,
    remoteHost: o.tunnel ? undefined : route.remoteHost,
    publicKey: key.key,
    reason: o.reason,
    piuVersion: version,
  });
  cli.host.notify({
    level: 'info',
    code: 'piu.eic.granted',
    text: `Please login within the next ${piu.EIC_KEY_SECONDS} seconds.`,
    data: { until: grant.until.toISOString(), bastion: grant.bastionInstanceId, remote: grant.remoteInstanceId },
  });
  const argv = piu.sshCommand({
    route,
    user: piu.EIC_BASTION_USER,
    remoteUser: piu.EIC_REMOTE_USER,
    tunnel: o.tunnel,
    sshConfig: o.sshConfig,
  });
  return finish(cli, argv, Boolean(o.connect || o.tunnel));
}

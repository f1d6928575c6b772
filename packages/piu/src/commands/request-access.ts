import { spawnSync } from 'node:child_process';
import type { CliContext } from '@stups/cli-kit';
import { ask, confirm } from '@stups/cli-kit/prompt';
import { AbortedError, UsageError } from '@stups/core';
import { AwsSession } from '@stups/core/aws';
import * as piu from '@stups/core/piu';
import { version } from '../version.js';
import { chooseInstance } from './interactive.js';
import type { RequestAccessRun } from './specs.js';

function askNeeded(cli: CliContext, what: string, flag: string): void {
  if (!cli.interactive)
    throw new UsageError(`No ${what} is known (no terminal to ask)`, {
      code: 'piu.setting-missing',
      hint: `Pass ${flag}; piu remembers it in piu.yaml.`,
    });
}

/**
 * The options, the prompts (interactive mode, the missing even URL and odd host, a target that is no
 * running instance) and the ssh run; the settings and the grant are core's.
 */
export const run: RequestAccessRun = async ([userHost, reasonWords], options, cli) => {
  const settings = piu.resolvePiuSettings(options, cli.env);
  // Without even there is nothing to ask (EC2 Instance Connect needs none).
  if (!options.eic) piu.assertLocalEvenOn(cli.env, Boolean(options.evenUrl));
  if (options.connect && options.tunnel)
    throw new UsageError('Cannot specify both "connect" and "tunnel"', { code: 'piu.connect-and-tunnel' });
  const tunnel = options.tunnel ? piu.parseTunnel(options.tunnel) : undefined;
  const check = options.check && settings.checkInstance;
  const lifetime = options.lifetime === undefined ? undefined : piu.checkLifetime(options.lifetime);
  const configuredOdd = settings.config.odd_host;

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
    region = await ask(cli, 'AWS region', piu.piuAwsRegion(options.region, cli.env));
    oddHost = await ask(
      cli,
      'Odd SSH bastion hostname',
      await piu.resolveOddHost(options.oddHost, configuredOdd, region, cli.host),
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
  const username = piu.piuUsername(user, cli.env);
  const privateTarget = piu.inStupsCidr(hostname);
  if (!options.interactive) {
    region = settings.region;
    oddHost = await piu.resolveOddHost(options.oddHost, configuredOdd, region, cli.host);
  }
  if (privateTarget && check && !options.interactive) {
    const session = new AwsSession({ region: piu.piuAwsRegion(region, cli.env) });
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

  const ctx: piu.PiuContext = { host: cli.host, env: cli.env, interactive: cli.interactive, signal: cli.signal };
  const { keyPath } = settings;
  if (options.eic) {
    const grant = await piu.requestInstanceConnectAccess(
      { hostname, oddHost, tunnel, reason, keyPath, region, sshConfig: options.sshConfig, piuVersion: version },
      ctx,
    );
    return finish(cli, grant.argv, Boolean(options.connect || tunnel));
  }

  let evenUrl = settings.evenUrl;
  if (!evenUrl) {
    askNeeded(cli, 'even URL', '-E/--even-url (or EVEN_URL)');
    evenUrl = await ask(cli, 'Please enter the Even SSH access granting service URL');
  }
  evenUrl = piu.normalizeEvenUrl(evenUrl);
  if (privateTarget && !oddHost) {
    askNeeded(cli, 'odd host', '-O/--odd-host (or ODD_HOST)');
    oddHost = piu.checkHostname(await ask(cli, 'Please enter the Odd SSH bastion hostname'), 'odd host name');
  }
  const grant = await piu.requestEvenAccess(
    {
      evenUrl,
      configPath: settings.configPath,
      username,
      hostname,
      oddHost,
      reason,
      lifetime,
      tunnel,
      sshConfig: options.sshConfig,
      keyPath,
    },
    ctx,
  );
  return finish(cli, grant.argv, Boolean(options.connect || tunnel));
};

function finish(cli: CliContext, argv: string[], run: boolean): number {
  if (run) {
    const ssh = spawnSync(argv[0] as string, argv.slice(1), { stdio: 'inherit', env: cli.env });
    if (ssh.error) throw ssh.error;
    return ssh.status ?? 1;
  }
  cli.host.notify({
    level: 'info',
    code: 'piu.ssh-command',
    text: 'You can access your server with the following command:',
  });
  cli.host.notify({ level: 'result', code: 'piu.ssh-command-line', text: piu.commandLine(argv), data: { argv } });
  return 0;
}

import { spawnSync } from 'node:child_process';
import { EXIT } from '@stups/core';
import type { InstanceRow } from '@stups/core/senza';
import { runListing } from '../listing.js';
import type { InstancesRun } from './specs/stacks.js';

function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  const probe = spawnSync(command, ['--help'], { env, stdio: 'ignore' });
  return !(probe.error && (probe.error as NodeJS.ErrnoException).code === 'ENOENT');
}

export const run: InstancesRun = async ([tokens], options, cli) => {
  const senza = await import('@stups/core/senza/stacks');
  const refs = senza.parseStackRefs(tokens);
  const docker = options.dockerImage;
  let shown: InstanceRow[] = [];
  let oddHostLookup: (() => Promise<string | undefined>) | undefined;
  const code = await runListing(options, cli, refs, async ({ session }) => {
    const instances = await senza.fetchStackInstances(session, refs, {
      all: options.all,
      terminated: options.terminated,
    });
    senza.assertRefFilesExist(
      refs,
      instances.map((i) => senza.tagValue(i, 'Name') ?? ''),
    );
    const [health, sources] = await Promise.all([
      senza.fetchHealthOfInstances(session, instances),
      docker ? senza.fetchDockerSources(session, instances) : undefined,
    ]);
    shown = senza.instanceRows(instances, health, sources);
    oddHostLookup = () => senza.findOddHost(session);
    return { spec: docker ? senza.STACK_TABLES.instancesWithDocker : senza.STACK_TABLES.instances, rows: shown };
  });
  if (code !== 0 || options.piu === undefined) return code;

  const ips = shown.map((r) => r.private_ip).filter((ip): ip is string => Boolean(ip));
  const oddHost = options.oddHost || cli.env.ODD_HOST || (ips.length ? await oddHostLookup?.() : undefined);
  const commands = senza.piuCommands(ips, options.piu, oddHost);
  if (commands.length === 0) return EXIT.OK;
  if (!onPath('piu', cli.env)) {
    // Without piu, say what would run, so the user can install piu or run it elsewhere.
    cli.host.notify({
      level: 'error',
      code: 'senza.instances-piu-missing',
      text: [
        'Command not found: piu',
        'You can install piu and run:',
        ...commands.map((c) => `  piu ${c.map(shellQuote).join(' ')}`),
      ].join('\n'),
      data: { commands },
    });
    return EXIT.FAILED;
  }
  for (const c of commands) {
    const r = spawnSync('piu', c, { env: cli.env, stdio: 'inherit' });
    if (r.status !== 0) return r.status ?? EXIT.FAILED;
  }
  return EXIT.OK;
};

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:@=-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}

import { spawnSync } from 'node:child_process';
import type { InstanceRow } from '@stups/core/senza';
import { runListing } from '../listing.js';
import type { CliContext } from '../main.js';

function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  const probe = spawnSync(command, ['--help'], { env, stdio: 'ignore' });
  return !(probe.error && (probe.error as NodeJS.ErrnoException).code === 'ENOENT');
}

export async function run(args: unknown[], options: Record<string, unknown>, cli: CliContext): Promise<number> {
  const senza = await import('@stups/core/senza/stacks');
  const refs = senza.parseStackRefs((args[0] as string[] | undefined) ?? []);
  const docker = Boolean(options.dockerImage);
  let shown: InstanceRow[] = [];
  let oddHostLookup: (() => Promise<string | undefined>) | undefined;
  const code = await runListing(options, cli, refs, async ({ session }) => {
    const instances = await senza.fetchStackInstances(session, refs, {
      all: Boolean(options.all),
      terminated: Boolean(options.terminated),
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
  const oddHost =
    (options.oddHost as string | undefined) || cli.env.ODD_HOST || (ips.length ? await oddHostLookup?.() : undefined);
  const commands = senza.piuCommands(ips, String(options.piu), oddHost);
  if (commands.length === 0) return 0;
  if (!onPath('piu', cli.env)) {
    // Without piu, say what would run, so the user can install piu or run it elsewhere.
    cli.stderr.write('Command not found: piu\nYou can install piu and run:\n');
    for (const c of commands) cli.stderr.write(`  piu ${c.map(shellQuote).join(' ')}\n`);
    return 1;
  }
  for (const c of commands) {
    const r = spawnSync('piu', c, { env: cli.env, stdio: 'inherit' });
    if (r.status !== 0) return r.status ?? 1;
  }
  return 0;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:@=-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}

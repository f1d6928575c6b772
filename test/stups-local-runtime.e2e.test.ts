import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  buildDemoImage,
  CI_CLIENT,
  closeRouterConnections,
  isRunning,
  privateDockerdPaths,
  type RouterSample,
  routerRequest,
  runDockerCli,
  SEED_DOMAIN,
  sampleRouter,
} from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pieroneUserEnv } from './support/pierone-user.js';
import { ROOT, runCli, SENZA } from './support/run-cli.js';
import { requireRuntime } from './support/runtime-peers.js';

/**
 * The runtime through the product path: `stups-local up --runtime private` (a dockerd of its own under
 * the state directory), images built offline, pushed to the local Pier One with `pierone login` and
 * `docker push`, stack versions created with the built senza, traffic measured at the router.
 * One platform for the whole file; every wait is a poll with a deadline.
 */
const STUPS_LOCAL = `${ROOT}packages/local/dist/cli.js`;
const PIERONE = `${ROOT}packages/pierone/dist/bin.js`;
const DEFINITION = 'examples/hello-world-local.yaml';
const MAIN = `hello-world.${SEED_DOMAIN}`;
const versionDomain = (v: string) => `hello-world-${v}.${SEED_DOMAIN}`;

let work: string;
let stateDir: string;
let base: NodeJS.ProcessEnv;
let env: NodeJS.ProcessEnv;
let dockerHost: string;
let registry: string;
let router: string;

const senza = (...args: string[]) => runCli(SENZA, args, env);
const image = (v: string) => `${registry}/myteam/hello-world:${v}`;
const docker = (...args: string[]) => runDockerCli(args, { dockerHost, env });

function exportsOf(stdout: string): Record<string, string> {
  return Object.fromEntries([...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
}

async function up(): Promise<void> {
  const r = await runCli(STUPS_LOCAL, ['up', '--state-dir', stateDir, '--runtime', 'private'], {
    ...base,
    STUPS_LOCAL_HEALTH_INTERVAL: '1',
  });
  expect(r.code, r.stderr).toBe(0);
  const exported = exportsOf(r.stdout);
  expect(exported.STUPS_LOCAL_HTTP).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  env = {
    ...base,
    ...exported,
    ZIGN_CLIENT_ID: CI_CLIENT.client_id,
    ZIGN_CLIENT_SECRET: CI_CLIENT.client_secret,
  };
  router = exported.STUPS_LOCAL_HTTP;
  registry = exported.PIERONE_URL.replace(/^http:\/\//, '');
  dockerHost = `unix://${privateDockerdPaths(stateDir).socket}`;
}

/** Polls `check` until it returns a value other than undefined; fails with `what` after `seconds`. */
async function until<T>(what: string, seconds: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${seconds} s${last ? ` (${last})` : ''}`);
    await sleep(250);
  }
}

interface Container {
  id: string;
  instance: string;
  state: string;
}

/** Our containers of one stack version, as the private engine lists them by label. */
async function containers(stack: string, all = false): Promise<Container[]> {
  const out = await docker(
    'ps',
    ...(all ? ['-a'] : []),
    '--filter',
    `label=stups.stack=${stack}`,
    '--format',
    '{{.ID}} {{.Label "stups.instance"}} {{.State}}',
  );
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id, instance, state] = line.split(' ');
      return { id, instance, state };
    });
}

interface InstanceRow {
  instance_id: string;
  state: string;
  lb_status: string | null;
}

async function instances(version: string): Promise<InstanceRow[]> {
  const r = await senza('instances', 'hello-world', version, '-o', 'json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as InstanceRow[];
}

/** Every running instance of the version is IN_SERVICE, and the version domain answers through the router. */
async function serving(version: string, count: number): Promise<void> {
  await until(`${count} instance(s) of version ${version} in service`, 90, async () => {
    const rows = (await instances(version)).filter((r) => r.state === 'RUNNING');
    return rows.length === count && rows.every((r) => r.lb_status === 'IN_SERVICE') ? true : undefined;
  });
  const answer = await until(`${versionDomain(version)} answering 200`, 30, async () => {
    const a = await routerRequest(router, versionDomain(version));
    return a.status === 200 ? a : undefined;
  });
  expect(answer.body).toBe(`hello-world version ${version}\n`);
  expect(answer.stack).toBe(`hello-world-${version}`);
}

async function create(version: string): Promise<void> {
  const r = await senza('create', DEFINITION, version, version, registry, '--wait');
  expect(r.code, r.stderr).toBe(0);
}

/**
 * The router reads the weights live, "within a second" (its route table is read every 500 ms); two and a
 * half seconds cover that on a loaded machine.
 */
const WEIGHTS_LIVE_MS = 2_500;

/** Binomial tolerance: 4.5 standard deviations around the expected count (never 0, for p = 0 or 1). */
function expectSplit(sample: RouterSample, stack: string, percent: number): void {
  expect(sample.failed, JSON.stringify(sample.failed.slice(0, 5))).toEqual([]);
  const n = sample.total;
  const p = percent / 100;
  const got = sample.byStack[stack] ?? 0;
  const tolerance = Math.max(1, 4.5 * Math.sqrt(n * p * (1 - p)));
  expect(Math.abs(got - n * p), `${got} of ${n} by ${stack} at ${percent} %`).toBeLessThanOrEqual(tolerance);
}

/** The PIDs of every process whose command line names `needle` (containerd shims, forwarders, dockerd). */
function processesNaming(needle: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, 'latin1').includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter((pid) => pid !== process.pid && isRunning(pid));
}

describe('stups-local runtime', () => {
  beforeAll(async () => {
    requireRuntime();
    // Short: the forwarders' unix sockets live under the state directory.
    work = mkdtempSync('/tmp/srt-');
    stateDir = join(work, 's');
    base = { ...pieroneUserEnv(work), NODE_NO_WARNINGS: '1' };
    await up();
    for (const [v, healthy] of [
      ['1', true],
      ['2', true],
      ['3', false],
    ] as const)
      await buildDemoImage({ ref: image(v), version: v, healthy, dockerHost, env });
    const login = await runCli(PIERONE, ['login'], env);
    expect(login.code, login.stderr).toBe(0);
    for (const v of ['1', '2', '3']) await docker('push', image(v));
    // The runtime must pull them from Pier One, as Taupage does.
    await docker('rmi', image('1'), image('2'), image('3'));
  }, 180_000);

  afterAll(async () => {
    closeRouterConnections();
    if (stateDir) await runCli(STUPS_LOCAL, ['down', '--state-dir', stateDir], base);
    if (work) rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it('runs v1 and v2 from Pier One, and the router follows the weights over 400 requests at 10, 50 and 100 %', async () => {
    await create('1');
    await serving('1', 1);
    const first = await senza('traffic', 'hello-world', '1', '100');
    expect(first.code, first.stderr).toBe(0);
    await create('2');
    await serving('2', 1);
    expect(await containers('hello-world-1')).toHaveLength(1);
    for (const percent of [10, 50, 100]) {
      const r = await senza('traffic', 'hello-world', '2', String(percent));
      expect(r.code, r.stderr).toBe(0);
      await sleep(WEIGHTS_LIVE_MS);
      const sample = await sampleRouter(router, MAIN, 400);
      expectSplit(sample, 'hello-world-2', percent);
      expect((sample.byStack['hello-world-1'] ?? 0) + (sample.byStack['hello-world-2'] ?? 0)).toBe(400);
    }
  }, 240_000);

  it('answers 404 naming the known domains for an unknown host', async () => {
    const r = await routerRequest(router, 'nothing.example.org');
    expect(r.status).toBe(404);
    expect(r.body).toContain(MAIN);
  });

  it('runs containers that have no network interface but lo', async () => {
    const [c] = await containers('hello-world-2');
    expect(c).toBeDefined();
    expect((await docker('inspect', '--format', '{{.HostConfig.NetworkMode}}', c.id)).trim()).toBe('none');
    expect((await docker('exec', c.id, '/bin/busybox', 'ls', '/sys/class/net')).trim().split(/\s+/)).toEqual(['lo']);
  });

  it('reports a version whose health check answers 500 OutOfService, and senza traffic refuses it without --force', async () => {
    // Taupage signals only once its health check passes: the stack stays CREATE_IN_PROGRESS, and
    // `create --wait` ends with the cause instead of waiting for the signal timeout.
    const created = await senza('create', DEFINITION, '3', '3', registry, '--wait');
    expect(created.code, created.stderr).toBe(1);
    expect(created.stdout + created.stderr).toContain('senza.diagnose-health-failing');
    const listed = await senza('list', 'hello-world', '3', '-o', 'json');
    expect((JSON.parse(listed.stdout) as { status: string }[]).map((s) => s.status)).toEqual(['CREATE_IN_PROGRESS']);
    const rows = await until('version 3 OUT_OF_SERVICE', 60, async () => {
      const r = (await instances('3')).filter((i) => i.state === 'RUNNING');
      return r.length === 1 && r[0].lb_status === 'OUT_OF_SERVICE' ? r : undefined;
    });
    expect(rows).toHaveLength(1);
    const refused = await senza('traffic', 'hello-world', '3', '50');
    expect(refused.code, refused.stderr).toBe(1);
    // It never completes (no signal): refused for that first, before its unhealthy instance.
    expect(refused.stderr).toContain('Stack hello-world-3 is CREATE_IN_PROGRESS: traffic not shifted to it');
    // a version with no healthy instance answers 503 on its own domain
    expect((await routerRequest(router, versionDomain('3'))).status).toBe(503);
    const deleted = await senza('delete', 'hello-world', '3', '--wait');
    expect(deleted.code, deleted.stderr).toBe(0);
    await until('the containers of version 3 gone', 60, async () =>
      (await containers('hello-world-3', true)).length === 0 ? true : undefined,
    );
  }, 180_000);

  it('senza scale hello-world 2 3 runs 3 containers', async () => {
    const r = await senza('scale', 'hello-world', '2', '3');
    expect(r.code, r.stderr).toBe(0);
    await until('3 running containers of hello-world-2', 90, async () => {
      const running = (await containers('hello-world-2')).filter((c) => c.state === 'running');
      return running.length === 3 ? running : undefined;
    });
    await serving('2', 3);
  }, 180_000);

  it('senza respawn-instances replaces them one by one while every request through the router is answered', async () => {
    const before = (await containers('hello-world-2')).map((c) => c.instance).sort();
    expect(before).toHaveLength(3);
    let stop = false;
    const seen: RouterSample = { byStack: {}, failed: [], total: 0, latencies: [] };
    const load = (async () => {
      while (!stop) {
        const s = await sampleRouter(router, MAIN, 20, { concurrency: 2 });
        seen.total += s.total;
        seen.failed.push(...s.failed);
        for (const [k, n] of Object.entries(s.byStack)) seen.byStack[k] = (seen.byStack[k] ?? 0) + n;
      }
    })();
    const r = await senza('respawn-instances', 'hello-world', '2', '--force', '--timeout', '150');
    stop = true;
    await load;
    expect(r.code, r.stderr).toBe(0);
    expect(seen.total).toBeGreaterThan(0);
    expect(seen.failed, JSON.stringify(seen.failed.slice(0, 5))).toEqual([]);
    const after = await until('3 new containers, none of the old ones', 60, async () => {
      const now = (await containers('hello-world-2')).map((c) => c.instance).sort();
      return now.length === 3 && now.every((i) => !before.includes(i)) ? now : undefined;
    });
    expect(after).toHaveLength(3);
  }, 240_000);

  it('a killed container shows in senza instances and its console output, and is restarted', async () => {
    const [c] = await containers('hello-world-2');
    const state = async () => {
      const [count, running, pid] = (
        await docker('inspect', '--format', '{{.RestartCount}} {{.State.Running}} {{.State.Pid}}', c.id)
      )
        .trim()
        .split(' ');
      return { restarts: Number(count), running: running === 'true', pid: Number(pid) };
    };
    const lbStatus = async () => (await instances('2')).find((r) => r.instance_id === c.instance)?.lb_status;
    // The engine restarts a killed process within 100 ms at first, then backs off (200, 400, 800 ms…):
    // killed again after each restart, the instance is down long enough for senza instances to see it.
    const starts = async () => ((await docker('logs', c.id)).match(/hello-world version 2 listening/g) ?? []).length;
    let seenOut = false;
    let kills = 0;
    while (!seenOut && kills < 7) {
      // Killed only once the app has started (said so), so that every start shows in its console output.
      const before = await until('the container running', 60, async () => {
        const s = await state();
        return s.running && s.pid > 0 && (await starts()) > kills ? s : undefined;
      });
      process.kill(before.pid, 'SIGKILL');
      kills++;
      const deadline = Date.now() + 4_000;
      while (!seenOut && Date.now() < deadline) seenOut = (await lbStatus()) === 'OUT_OF_SERVICE';
    }
    expect(seenOut, `OUT_OF_SERVICE in senza instances after ${kills} kill(s)`).toBe(true);
    await until('the container restarted', 60, async () => {
      const s = await state();
      return s.restarts >= kills && s.running ? true : undefined;
    });
    // senza console shows the app's output: it started once more per kill
    const out = await until('the starts in senza console', 30, async () => {
      // httpd logs every health check: the starts are further back than the default last 25 lines.
      const r = await senza('console', c.instance, '--limit', '1000');
      return (r.stdout.match(/hello-world version 2 listening/g) ?? []).length >= kills + 1 ? r.stdout : undefined;
    });
    expect(out).toContain('hello-world version 2 listening');
    await serving('2', 3);
    expect(await lbStatus()).toBe('IN_SERVICE');
  }, 180_000);

  it('senza delete stops the containers', async () => {
    const moved = await senza('traffic', 'hello-world', '1', '100');
    expect(moved.code, moved.stderr).toBe(0);
    const r = await senza('delete', 'hello-world', '2', '--wait');
    expect(r.code, r.stderr).toBe(0);
    await until('no container of hello-world-2', 60, async () =>
      (await containers('hello-world-2', true)).length === 0 ? true : undefined,
    );
    expect(await containers('hello-world-1')).toHaveLength(1);
  }, 120_000);

  it('stups-local down leaves no container, engine, forwarder or socket; the stacks, their instances and the registry survive down and up', async () => {
    const rt = join(stateDir, 'rt');
    const pidFiles = (existsSync(rt) ? readdirSync(rt) : []).filter((f) => f.endsWith('.pid'));
    expect(pidFiles.length).toBeGreaterThan(0);
    const forwarders = pidFiles.map((f) => Number(readFileSync(join(rt, f), 'utf8').trim()));
    const engine = privateDockerdPaths(stateDir);
    const dockerd = Number(readFileSync(engine.pidFile, 'utf8').trim());
    expect(isRunning(dockerd)).toBe(true);
    const apps = await Promise.all(
      (await containers('hello-world-1')).map(async (c) =>
        Number((await docker('inspect', '--format', '{{.State.Pid}}', c.id)).trim()),
      ),
    );
    expect(apps.length).toBe(1);
    const instancesBefore = (await containers('hello-world-1')).map((c) => c.instance);
    // Issue 17 item 14: an updated stack (a new launch template version for its group) comes back too.
    const updated = await senza('update', DEFINITION, '1', '2', registry, '--wait');
    expect(updated.code, updated.stderr).toBe(0);
    expect((await containers('hello-world-1')).map((c) => c.instance)).toEqual(instancesBefore);

    const pulled = image('1');
    const down = await runCli(STUPS_LOCAL, ['down', '--state-dir', stateDir], base);
    expect(down.code, down.stderr).toBe(0);
    expect(isRunning(dockerd)).toBe(false);
    for (const pid of forwarders) expect(isRunning(pid), `forwarder ${pid}`).toBe(false);
    for (const pid of apps) expect(isRunning(pid), `container process ${pid}`).toBe(false);
    const left = existsSync(rt) ? readdirSync(rt).filter((f) => f.endsWith('.sock') || f.endsWith('.pid')) : [];
    expect(left).toEqual([]);
    // nothing that names the state directory or the engine's exec root runs (dockerd, containerd and its
    // shims, forwarders), and the engine's socket is gone
    expect(processesNaming(stateDir)).toEqual([]);
    expect(processesNaming(engine.execRoot)).toEqual([]);
    expect(existsSync(engine.socket)).toBe(false);
    // no mount is left: neither the containers' network namespaces (nsfs under the exec root) nor overlays
    const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n');
    expect(mounts.filter((m) => m.includes(stateDir) || m.includes(engine.execRoot))).toEqual([]);

    await up();
    // The emulated AWS is kept across down and up: hello-world 1 is still there, the runtime runs its
    // instance again (a new container for the same instance, from the image the engine kept) and the
    // router sends the main domain to it; nothing of version 2 (deleted) comes back.
    const listed = await senza('list', '-o', 'json');
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { version: string }[]).map((s) => s.version)).toEqual(['1']);
    await serving('1', 1);
    expect((await containers('hello-world-1')).map((c) => c.instance)).toEqual(instancesBefore);
    expect((await docker('ps', '-a', '--filter', 'label=stups.stack', '-q')).trim().split('\n')).toHaveLength(1);
    const main = await routerRequest(router, MAIN);
    expect([main.status, main.stack]).toEqual([200, 'hello-world-1']);
    // Pier One keeps its data across restarts
    const tags = await runCli(PIERONE, ['tags', 'myteam', 'hello-world', '-o', 'json'], env);
    expect(tags.code, tags.stderr).toBe(0);
    expect((JSON.parse(tags.stdout) as { tag: string }[]).map((t) => t.tag).sort()).toEqual(['1', '2', '3']);
    // and the private engine keeps the images it pulled (named after the registry's port of then)
    expect((await docker('images', '-q', pulled)).trim()).not.toBe('');
    // The instance runs the launch template version it was launched with; respawn replaces it with one
    // of the updated version (image 2), and does not wait on instances that never get a container.
    const respawned = await senza('respawn-instances', 'hello-world', '1', '--timeout', '120');
    expect(respawned.code, respawned.stderr).toBe(0);
    expect(respawned.stderr).toContain('1/1 instances need to be updated');
    await until('the respawned instance answering with image 2', 60, async () => {
      const a = await routerRequest(router, versionDomain('1'));
      return a.status === 200 && a.body === 'hello-world version 2\n' ? a : undefined;
    });
  }, 300_000);
});

// `senza create --wait` of hello-world on the local platform with the runtime (a private dockerd, the
// image already pulled) against the same on a platform without it (`up --runtime none`), alternately so
// both see the same load; and how long after `create` returns the new version answers through the
// router (its container started, its forwarder listening, the ELB-like health checks passed).
// Called from bench/run.mjs; runs alone too (`node bench/runtime-create.mjs`). Needs root and dockerd.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { median, timedRun } from './measure.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SENZA = join(ROOT, 'packages/senza/dist/bundle/senza.cjs');
const PIERONE = join(ROOT, 'packages/pierone/dist/bin.js');
const STUPS_LOCAL = join(ROOT, 'packages/local/dist/cli.js');
const DEFINITION = join(ROOT, 'examples/hello-world-local.yaml');
const TARGET_MS = 3000;

const runOnce = (args, env) => timedRun(process.execPath, args, { env, cwd: ROOT });

async function checked(args, env) {
  const r = await runOnce(args, env);
  if (r.status !== 0) throw new Error(`${args.slice(1).join(' ')} failed: ${r.stderr.slice(-1000)}`);
  return r;
}

function unavailable() {
  if (process.getuid?.() !== 0) return 'needs root (a private dockerd)';
  if (!['/usr/sbin/dockerd', '/usr/bin/dockerd'].some((p) => existsSync(p))) return 'dockerd is not installed';
  return undefined;
}

async function up(stateDir, runtime, base) {
  const r = await checked([STUPS_LOCAL, 'up', '--state-dir', stateDir, '--runtime', runtime], {
    ...base,
    STUPS_LOCAL_HEALTH_INTERVAL: '1',
  });
  const env = { ...base };
  for (const [, k, v] of r.stdout.matchAll(/^export (\w+)=(.*)$/gm)) env[k] = v;
  return env;
}

export async function benchRuntimeCreate({ row, runs = 3 }) {
  const what = 'senza create --wait hello-world, with the runtime (image pulled)';
  const why = unavailable();
  if (why) {
    row(what, `skipped: ${why}`, `≤ ${TARGET_MS} ms beyond without`, undefined);
    return;
  }
  const {
    buildDemoImage,
    CI_CLIENT,
    closeRouterConnections,
    privateDockerdPaths,
    routerRequest,
    runDockerCli,
    SEED_DOMAIN,
  } = await import('@stups/local');
  const work = mkdtempSync('/tmp/brc-');
  const base = {
    ...process.env,
    NODE_NO_WARNINGS: '1',
    HOME: join(work, 'home'),
    XDG_CONFIG_HOME: join(work, 'config'),
    DOCKER_CONFIG: join(work, 'docker'),
  };
  const withRuntime = join(work, 'a');
  const without = join(work, 'b');
  try {
    const [a, b] = await Promise.all([up(withRuntime, 'private', base), up(without, 'none', base)]);
    const registry = a.PIERONE_URL.replace(/^http:\/\//, '');
    const dockerHost = `unix://${privateDockerdPaths(withRuntime).socket}`;
    const image = `${registry}/myteam/hello-world:1`;
    await buildDemoImage({ ref: image, version: '1', dockerHost, env: a });
    // `--store-token`: no credential helper on PATH needed for one push.
    await checked([PIERONE, 'login', '--store-token'], {
      ...a,
      ZIGN_CLIENT_ID: CI_CLIENT.client_id,
      ZIGN_CLIENT_SECRET: CI_CLIENT.client_secret,
    });
    await runDockerCli(['push', image], { dockerHost, env: a });
    // -f on both: the definition names the first platform's Pier One, which the second does not know.
    const create = (env, version) =>
      runOnce([SENZA, 'create', DEFINITION, version, '1', registry, '-f', '--wait'], env);
    const serving = async (version) => {
      const host = `hello-world-${version}.${SEED_DOMAIN}`;
      const t0 = performance.now();
      const deadline = Date.now() + 60_000;
      for (;;) {
        const answer = await routerRequest(a.STUPS_LOCAL_HTTP, host).catch(() => ({ status: 0 }));
        if (answer.status === 200) return performance.now() - t0;
        if (Date.now() > deadline) throw new Error(`${host} did not answer 200 within 60 s`);
        await sleep(50);
      }
    };
    // Warm-up (and the image is used once, as "already pulled" wants).
    for (const [env, check] of [
      [a, true],
      [b, false],
    ]) {
      const r = await create(env, 'w');
      if (r.status !== 0) throw new Error(`create: ${r.stderr.slice(-1000)}`);
      if (check) await serving('w');
    }
    const timesWith = [];
    const timesWithout = [];
    const toServing = [];
    for (let i = 1; i <= runs; i++) {
      const rb = await create(b, `n${i}`);
      if (rb.status !== 0) throw new Error(`create without the runtime: ${rb.stderr.slice(-1000)}`);
      timesWithout.push(rb.ms);
      const ra = await create(a, `r${i}`);
      if (ra.status !== 0) throw new Error(`create with the runtime: ${ra.stderr.slice(-1000)}`);
      timesWith.push(ra.ms);
      toServing.push(await serving(`r${i}`));
    }
    const mWith = median(timesWith);
    const mWithout = median(timesWithout);
    const beyond = mWith - mWithout;
    row(
      what,
      `${mWith.toFixed(0)} ms against ${mWithout.toFixed(0)} ms without (${beyond >= 0 ? '+' : ''}${beyond.toFixed(0)} ms), median of ${runs}`,
      `≤ ${TARGET_MS} ms beyond without`,
      beyond <= TARGET_MS,
    );
    row(
      '  then until the new version answers through the router',
      `${median(toServing).toFixed(0)} ms (container, forwarder, 2 health checks at 1 s)`,
      '',
      undefined,
    );
    closeRouterConnections();
  } finally {
    await Promise.all([withRuntime, without].map((d) => runOnce([STUPS_LOCAL, 'down', '--state-dir', d], base)));
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = [];
  await benchRuntimeCreate({
    row: (what, value, target, pass) => {
      rows.push({ what, value, target, pass });
      console.log(`${what}: ${value}${target ? ` (target ${target})` : ''}${pass === false ? ' MISSED' : ''}`);
    },
  });
  process.exit(rows.some((r) => r.pass === false) ? 1 : 0);
}

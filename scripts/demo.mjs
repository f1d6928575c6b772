#!/usr/bin/env node
// README command 1: blue/green on one machine. Starts stups-local (moto behind the AWS-correcting
// layer, seeded like a STUPS account). Where a Docker engine is available (yours, or as root a private
// dockerd that stups-local starts) it tells the whole story: builds a tiny hello-world image offline,
// `pierone login`, `docker push` of versions 1 and 2 to the local Pier One, `senza create` of both, and
// at each traffic step sends 200 requests to the local router and prints which version answered. Without
// an engine it deploys the same two versions as AWS records only, and says how to get the full demo.
// `pnpm demo -- --runtime user|private|none` picks the engine (default: yours if it answers, else
// a private dockerd as root, else none).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SENZA = join(ROOT, 'packages/senza/dist/bundle/senza.cjs');
const PIERONE = join(ROOT, 'packages/pierone/dist/bin.js');
const CREDENTIAL_HELPER = join(ROOT, 'packages/pierone/dist/docker-credential-pierone.cjs');
const STUPS_LOCAL = join(ROOT, 'packages/local/dist/cli.js');
// The modules themselves, not @stups/local's entry point (which loads the OAuth provider).
const LOCAL = join(ROOT, 'packages/local/dist');
const { buildDemoImage, demoImageUnavailable, runDockerCli } = await import(`${LOCAL}/runtime/demo-image.js`);
const { sampleRouter, routerRequest, closeRouterConnections } = await import(`${LOCAL}/runtime/router-sample.js`);
const { CI_CLIENT } = await import(`${LOCAL}/oauth/oauth-clients.js`);
const { privateDockerdPaths } = await import(`${LOCAL}/runtime/docker-engine.js`);
const { SEED_DOMAIN } = await import(`${LOCAL}/aws/seed-account.js`);

const work = mkdtempSync(join(os.tmpdir(), 'stups-demo-'));
const state = join(work, 'state');
const bold = (s) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\u001b[1m${s}\u001b[0m` : s);
const started = Date.now();
const NAMES = new Map([
  [SENZA, 'senza'],
  [PIERONE, 'pierone'],
  [STUPS_LOCAL, 'stups-local'],
]);

function run(bin, args, env = process.env, { show = true, check = true } = {}) {
  const name = NAMES.get(bin);
  if (show) console.log(`\n${bold(`$ ${name} ${args.join(' ')}`)}`);
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, env, encoding: 'utf8' });
  if (show) process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  if (check && r.status !== 0) throw new Error(`${name} ${args.join(' ')} failed (exit ${r.status})`);
  return r;
}

function exportsOf(stdout) {
  const env = {};
  for (const [, k, v] of stdout.matchAll(/^export (\w+)=(.*)$/gm)) env[k] = v;
  return env;
}

/** The engine the full demo runs on, or why there is none (`--runtime user|private|none` chooses). */
function chooseEngine() {
  const asked = process.argv[process.argv.indexOf('--runtime') + 1];
  if (process.argv.includes('--runtime')) {
    if (asked === 'none') return { why: 'you asked for --runtime none' };
    if (asked === 'user' || asked === 'private') return { runtime: asked, summary: `--runtime ${asked}` };
    throw new Error(`--runtime takes user, private or none, not ${asked}`);
  }
  const noImage = demoImageUnavailable();
  if (noImage) return { why: noImage };
  const docker = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], {
    encoding: 'utf8',
    timeout: 5000,
  });
  if (docker.error?.code === 'ENOENT') return { why: 'the docker client is not installed (Debian package docker.io)' };
  if (docker.status === 0) return { runtime: 'user', summary: `your Docker engine ${docker.stdout.trim()}` };
  const dockerd = ['/usr/sbin/dockerd', '/usr/bin/dockerd'].some((p) => existsSync(p));
  if (!dockerd) return { why: 'no Docker engine answers and dockerd is not installed (Debian package docker.io)' };
  if (process.getuid?.() !== 0) return { why: 'no Docker engine answers, and a private dockerd needs root' };
  return { runtime: 'private', summary: 'a private dockerd under the state directory' };
}

/** Polls until the version domain answers 200 through the router (its instances are InService). */
async function waitUntilServing(endpoint, host, seconds = 30) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const answer = await routerRequest(endpoint, host).catch((e) => ({ status: 0, body: e.message }));
    if (answer.status === 200) return answer;
    if (Date.now() > deadline)
      throw new Error(`${host} did not answer 200 within ${seconds} s (last: ${answer.status} ${answer.body.trim()})`);
    await sleep(200);
  }
}

/** The demo's user: own home, config and Docker config, and docker-credential-pierone on PATH. */
function userEnv(base) {
  const bin = join(work, 'bin');
  mkdirSync(bin, { recursive: true });
  const helper = join(bin, 'docker-credential-pierone');
  writeFileSync(helper, `#!/bin/sh\nexec "${process.execPath}" "${CREDENTIAL_HELPER}" "$@"\n`);
  chmodSync(helper, 0o755);
  return {
    ...base,
    PATH: `${bin}:${process.env.PATH}`,
    HOME: join(work, 'home'),
    XDG_CONFIG_HOME: join(work, 'config'),
    DOCKER_CONFIG: join(work, 'docker'),
    ZIGN_CLIENT_ID: CI_CLIENT.client_id,
    ZIGN_CLIENT_SECRET: CI_CLIENT.client_secret,
  };
}

function recordsOnly(env) {
  run(SENZA, ['create', 'examples/hello-world.yaml', '1', '1.0', '--wait'], env);
  run(SENZA, ['traffic', 'hello-world', '1', '100'], env);
  run(SENZA, ['create', 'examples/hello-world.yaml', '2', '2.0', '--wait'], env);
  run(SENZA, ['list'], env);
  run(SENZA, ['traffic', 'hello-world', '2', '10', '--plan'], env);
  for (const weight of ['10', '50', '100']) run(SENZA, ['traffic', 'hello-world', '2', weight], env);
  run(SENZA, ['traffic', 'hello-world'], env);
  run(SENZA, ['delete', 'hello-world', '1', '--wait'], env);
  run(SENZA, ['list'], env);
  run(SENZA, ['domains'], env);
}

async function wholeStory(env, dockerHost) {
  const registry = env.PIERONE_URL.replace(/^https?:\/\//, '');
  const image = (v) => `${registry}/myteam/hello-world:${v}`;
  builtImages.push(image('1'), image('2'));
  const docker = async (args) => {
    console.log(`\n${bold(`$ docker ${args.join(' ')}`)}`);
    const out = await runDockerCli(args, { dockerHost, env });
    if (out.trim()) console.log(out.trim().split('\n').slice(-3).join('\n'));
  };
  for (const v of ['1', '2']) {
    console.log(
      `\n${bold(`$ docker build -t ${image(v)} .`)}   (FROM scratch, busybox httpd: "hello-world version ${v}")`,
    );
    await buildDemoImage({ ref: image(v), version: v, dockerHost, env });
  }
  run(PIERONE, ['login'], env);
  for (const v of ['1', '2']) await docker(['push', image(v)]);
  // The runtime pulls what it runs from Pier One, like Taupage.
  await runDockerCli(['rmi', image('1'), image('2')], { dockerHost, env });

  const main = `hello-world.${SEED_DOMAIN}`;
  const router = env.STUPS_LOCAL_HTTP;
  run(SENZA, ['create', 'examples/hello-world-local.yaml', '1', '1', registry, '--wait'], env);
  await waitUntilServing(router, `hello-world-1.${SEED_DOMAIN}`);
  run(SENZA, ['traffic', 'hello-world', '1', '100'], env);
  run(SENZA, ['create', 'examples/hello-world-local.yaml', '2', '2', registry, '--wait'], env);
  await waitUntilServing(router, `hello-world-2.${SEED_DOMAIN}`);
  run(SENZA, ['instances', 'hello-world'], env);
  console.log(`\n${bold(`$ curl -H 'Host: ${main}' ${router}/`)}`);
  const one = await routerRequest(router, main);
  console.log(`${one.body.trim()}   (x-stups-stack: ${one.stack})`);

  const split = [];
  for (const weight of [10, 50, 100]) {
    run(SENZA, ['traffic', 'hello-world', '2', String(weight)], env);
    // The router reads the weights live, at most a second old.
    await sleep(1100);
    const sample = await sampleRouter(router, main, 200);
    const v2 = sample.byStack['hello-world-2'] ?? 0;
    const line = `${String(weight).padStart(3)} %: ${v2} of ${sample.total} answered by version 2${sample.failed.length ? ` (${sample.failed.length} failed)` : ''}`;
    console.log(bold(line));
    split.push(line);
  }
  run(SENZA, ['delete', 'hello-world', '1', '--wait'], env);
  run(SENZA, ['list'], env);
  console.log(`\n${bold('Traffic observed at the router (200 requests per step):')}\n${split.join('\n')}`);
  await failingDeploy(env, registry);
}

/**
 * A version whose image tag was never pushed: `--preflight` names the cause before anything is created;
 * created anyway (`--force` skips senza's own image check), `senza diagnose` finds the failed pull on the
 * instance's console within seconds, long before CloudFormation's 15-minute signal timeout would.
 */
async function failingDeploy(env, registry) {
  console.log(`\n${bold('A failing deploy: version 3, whose image tag was never pushed')}`);
  run(SENZA, ['create', '--preflight', 'examples/hello-world-local.yaml', '3', '3', registry], env, { check: false });
  const created = Date.now();
  run(SENZA, ['create', 'examples/hello-world-local.yaml', '3', '3', registry, '--force'], env);
  const deadline = created + 60_000;
  while (run(SENZA, ['diagnose', 'hello-world', '3'], env, { show: false, check: false }).status !== 1) {
    if (Date.now() > deadline) throw new Error('senza diagnose found no cause for version 3 within 60 s');
    await sleep(500);
  }
  run(SENZA, ['diagnose', 'hello-world', '3'], env, { check: false });
  console.log(bold(`Diagnosed ${((Date.now() - created) / 1000).toFixed(1)} s after senza create.`));
  run(SENZA, ['delete', 'hello-world', '3', '--wait'], env);
}

let exitCode = 0;
/** The images the demo built, or the runtime pulled, into the engine (removed from yours at the end). */
const builtImages = [];
let userEngine;
try {
  const engine = chooseEngine();
  const upEnv = { ...process.env, STUPS_LOCAL_HEALTH_INTERVAL: '1' };
  const upArgs = ['up', '--state-dir', state];
  if (engine.runtime) {
    console.log(bold(`Starting the local STUPS platform with its runtime on ${engine.summary}..`));
    upArgs.push('--runtime', engine.runtime);
  } else {
    console.log(bold('Starting the local STUPS platform (AWS on moto, seeded like a team account)..'));
  }
  const up = run(STUPS_LOCAL, upArgs, upEnv, { show: false });
  process.stdout.write(up.stdout);
  const env = { ...process.env, NODE_NO_WARNINGS: '1', ...exportsOf(up.stdout) };
  if (engine.runtime && env.STUPS_LOCAL_HTTP) {
    const dockerHost =
      engine.runtime === 'private' ? `unix://${privateDockerdPaths(state).socket}` : process.env.DOCKER_HOST;
    if (engine.runtime === 'user') userEngine = { dockerHost };
    await wholeStory(userEnv(env), dockerHost);
  } else {
    recordsOnly(env);
    const why = engine.why ?? 'stups-local started no runtime (see `stups-local status`)';
    console.log(
      `\n${bold('This was the AWS side only')}: nothing ran, because ${why}.\n` +
        'For the whole story (containers, Pier One, live traffic through the router): install Docker\n' +
        '(`apt-get install docker.io busybox-static socat`), then run `pnpm demo` as root (it starts a\n' +
        'dockerd of its own) or with a running dockerd that DOCKER_HOST or /var/run/docker.sock reaches.',
    );
  }
  console.log(`\n${bold(`Blue/green done in ${((Date.now() - started) / 1000).toFixed(1)} s.`)}`);
} catch (e) {
  console.error(`\ndemo failed: ${e.message}`);
  exitCode = 1;
} finally {
  closeRouterConnections();
  spawnSync(process.execPath, [STUPS_LOCAL, 'down', '--state-dir', state], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (userEngine && builtImages.length) {
    const env = { ...process.env, ...(userEngine.dockerHost ? { DOCKER_HOST: userEngine.dockerHost } : {}) };
    spawnSync('docker', ['rmi', ...builtImages], { env, stdio: 'ignore' });
  }
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);

#!/usr/bin/env node
// README command 1: blue/green on one machine. Starts stups-local (moto behind the AWS-correcting
// layer, seeded like a STUPS account). Where a Docker engine is available (yours, or as root a private
// dockerd that stups-local starts) it tells the whole story: builds a tiny hello-world image offline,
// `pierone login`, `docker push` of versions 1 and 2 to the local Pier One, `senza create` of both, and
// at each traffic step sends 200 requests to the local router and prints which version answered; then
// the diagnosis of a failing deploy, and gated rollouts (`senza traffic --steps`): version 2 promoted, a
// broken version 3 rolled back automatically, with the split the router served at each step. Without
// an engine it deploys the same two versions as AWS records only, and says how to get the full demo.
// `pnpm demo -- --runtime user|private|none` picks the engine (default: yours if it answers, else
// a private dockerd as root, else none).
import { spawn, spawnSync } from 'node:child_process';
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
    if (asked === 'none') return { why: 'you asked for --runtime none', none: true };
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
  run(SENZA, ['list'], env);
  console.log(`\n${bold('Traffic observed at the router (200 requests per step):')}\n${split.join('\n')}`);
  await failingDeploy(env, registry);
  await gatedRollouts(env, registry, image, docker, dockerHost);
  run(SENZA, ['delete', 'hello-world', '1', '--wait'], env);
  run(SENZA, ['list'], env);
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

/** Runs a CLI like `run`, without blocking (the demo sends traffic meanwhile); its stderr lines go to `onLine` too. */
function runAsync(bin, args, env, onLine) {
  console.log(`\n${bold(`$ ${NAMES.get(bin)} ${args.join(' ')}`)}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'pipe'] });
    let rest = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => {
      process.stderr.write(d);
      const lines = (rest + d).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) onLine(l);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
}

/** Requests to the main domain, 8 at a time, until stopped: who answered each, and with what status. */
function trafficTo(router, host) {
  const served = [];
  let stopped = false;
  const worker = async () => {
    while (!stopped) {
      const a = await routerRequest(router, host).catch(() => ({ status: 0 }));
      served.push({ at: Date.now(), stack: a.stack ?? '-', status: a.status });
    }
  };
  const workers = Promise.all(Array.from({ length: 8 }, worker));
  return {
    served,
    stop: async () => {
      stopped = true;
      await workers;
    },
  };
}

/** A CloudWatch alarm on a version's load balancer 5xx count: high resolution, missing data not breaching. */
async function errorAlarm(env, version) {
  // The SDK warns about Node 20 once loaded; the CLIs run with NODE_NO_WARNINGS, the demo likewise.
  const emitWarning = process.emitWarning;
  process.emitWarning = () => undefined;
  try {
    await putErrorAlarm(env, version);
  } finally {
    process.emitWarning = emitWarning;
  }
  return `hello-world-${version}-5xx`;
}

async function putErrorAlarm(env, version) {
  const { CloudWatchClient, PutMetricAlarmCommand } = await import('@aws-sdk/client-cloudwatch');
  const cloudwatch = new CloudWatchClient({
    endpoint: env.AWS_ENDPOINT_URL,
    region: env.AWS_REGION,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  });
  const name = `hello-world-${version}-5xx`;
  console.log(
    `\n${bold(`$ aws cloudwatch put-metric-alarm --alarm-name ${name} --namespace AWS/ELB --metric-name HTTPCode_Backend_5XX --dimensions Name=LoadBalancerName,Value=hello-world-${version} --statistic Sum --period 10 --evaluation-periods 1 --threshold 5 --comparison-operator GreaterThanThreshold --treat-missing-data notBreaching`)}`,
  );
  await cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      Namespace: 'AWS/ELB',
      MetricName: 'HTTPCode_Backend_5XX',
      Dimensions: [{ Name: 'LoadBalancerName', Value: `hello-world-${version}` }],
      Statistic: 'Sum',
      Period: 10,
      EvaluationPeriods: 1,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    }),
  );
  cloudwatch.destroy();
}

/**
 * `senza traffic --steps` with traffic on the main domain: the rollout as the CLI prints it, then the
 * split the router served during each step (what the users of each version saw).
 */
async function gatedRollout(env, version, alarm) {
  const router = env.STUPS_LOCAL_HTTP;
  const main = `hello-world.${SEED_DOMAIN}`;
  const load = trafficTo(router, main);
  const steps = [];
  const code = await runAsync(
    SENZA,
    [
      'traffic',
      'hello-world',
      version,
      '--steps',
      '25,50,100',
      '--bake',
      '10s',
      '--final-bake',
      '5s',
      '-i',
      '1s',
    ].concat(['--min-requests', '30', '--gate', '5xx-rate<5%', '--gate', `alarm:${alarm}`]),
    env,
    (line) => {
      const step = /(?:^Step|: step) (\d+)(?::|,) (\d+) %/.exec(line);
      if (step) steps.push({ at: Date.now(), label: `step ${step[1]} (${step[2]} %)` });
      if (/Rolled back|Promoted/.test(line))
        steps.push({ at: Date.now(), label: /Promoted/.test(line) ? 'promoted' : 'rolled back' });
    },
  );
  await sleep(2000);
  await load.stop();
  const lines = steps.map((s, i) => {
    const until = steps[i + 1]?.at ?? Date.now();
    const during = load.served.filter((r) => r.at >= s.at && r.at < until);
    const byVersion = new Map();
    for (const r of during) {
      const key = `${r.stack.replace('hello-world-', 'v')}${r.status === 200 ? '' : ` ${r.status}`}`;
      byVersion.set(key, (byVersion.get(key) ?? 0) + 1);
    }
    const parts = [...byVersion].sort().map(([k, n]) => `${k}: ${((100 * n) / during.length).toFixed(1)} %`);
    return `${s.label.padEnd(16)} ${String(during.length).padStart(5)} requests  ${parts.join(', ')}`;
  });
  console.log(
    `\n${bold(`Observed at the router during the rollout of version ${version} (exit ${code}):`)}\n${lines.join('\n')}`,
  );
  return code;
}

/**
 * Progressive delivery: version 2 (healthy) rolled out from version 1, gated
 * by its 5xx rate and a CloudWatch alarm that the local AWS evaluates (steps of 25, 50 and 100 %); then version 3, whose page answers
 * 500 while its health check passes, rolled back automatically at the first failing evaluation.
 */
async function gatedRollouts(env, registry, image, docker, dockerHost) {
  console.log(`\n${bold('Gated rollouts: version 2 from version 1 in steps, then a broken version 3')}`);
  run(SENZA, ['traffic', 'hello-world', '1', '100'], env);
  const alarm2 = await errorAlarm(env, '2');
  const alarm3 = await errorAlarm(env, '3');
  // The alarms start INSUFFICIENT_DATA; the first evaluation (within 12 s) finds no 5xx: OK.
  await sleep(12_500);
  const promoted = await gatedRollout(env, '2', alarm2);
  if (promoted !== 0) throw new Error(`the rollout of version 2 ended with exit ${promoted}, not promoted`);

  console.log(
    `\n${bold(`$ docker build -t ${image('3')} .`)}   (version 3: its page answers 500, its health check passes)`,
  );
  builtImages.push(image('3'));
  await buildDemoImage({ ref: image('3'), version: '3', pageWorks: false, dockerHost, env });
  await docker(['push', image('3')]);
  await runDockerCli(['rmi', image('3')], { dockerHost, env });
  run(SENZA, ['create', 'examples/hello-world-local.yaml', '3', '3', registry, '--wait'], env);
  await waitUntilInService(env, '3');
  const rolledBack = await gatedRollout(env, '3', alarm3);
  if (rolledBack !== 1) throw new Error(`the rollout of version 3 ended with exit ${rolledBack}, not rolled back`);
  const after = await sampleRouter(env.STUPS_LOCAL_HTTP, `hello-world.${SEED_DOMAIN}`, 200);
  console.log(
    bold(
      `After the rollback: ${after.byStack['hello-world-2'] ?? 0} of ${after.total} requests answered by version 2 (${after.failed.length} failed).`,
    ),
  );
  run(SENZA, ['delete', 'hello-world', '3', '--wait'], env);
}

/** Polls `senza instances` until the version's instance is InService (its page answers 500, so no HTTP poll). */
async function waitUntilInService(env, version, seconds = 30) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const r = run(SENZA, ['instances', 'hello-world', version, '-o', 'json'], env, { show: false, check: false });
    if (/"lb_status": ?"IN_SERVICE"/.test(r.stdout)) return;
    if (Date.now() > deadline) throw new Error(`version ${version} was not InService within ${seconds} s`);
    await sleep(500);
  }
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
    // Asked for none: the platform starts no runtime either (not the default one on your engine).
    if (engine.none) upArgs.push('--runtime', 'none');
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
  console.log(`\n${bold(`Demo done in ${((Date.now() - started) / 1000).toFixed(1)} s.`)}`);
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

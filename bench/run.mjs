#!/usr/bin/env node
// `pnpm bench`: startup, template compile, `senza print`, `traffic` and `list` against the local AWS, zign,
// Pier One and the runtime's router.
// Wall-clock medians over repeated runs, each as a ratio to `node -e 0` run alternately with it (the
// machine is shared, so only same-run ratios compare); results printed and written into docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, timedRun } from './measure.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SENZA = join(ROOT, 'packages/senza/dist/bundle/senza.cjs');
const ms = (x) => `${x.toFixed(1)} ms`;

const runOnce = (cmd, args, env) => timedRun(cmd, args, { env });

async function wall(cmd, args, env, runs) {
  const times = [];
  let last;
  for (let i = 0; i < runs; i++) {
    last = await runOnce(cmd, args, env);
    times.push(last.ms);
    if (last.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${last.stderr}`);
  }
  return { median: median(times), min: Math.min(...times), last };
}

// The command and `node -e 0` run alternately, so both see the same load on a shared machine.
async function wallVsNode(args, env, runs) {
  const times = [];
  const node = [];
  let last;
  for (let i = 0; i < runs; i++) {
    node.push((await runOnce(process.execPath, ['-e', '0'], env)).ms);
    last = await runOnce(process.execPath, args, env);
    times.push(last.ms);
    if (last.status !== 0) throw new Error(`${args.join(' ')} failed: ${last.stderr}`);
  }
  const m = median(times);
  const n = median(node);
  return { median: m, node: n, ratio: m / n, last };
}
const vsNode = (t) => `${ms(t.median)} = ${t.ratio.toFixed(2)}× node -e 0 (${ms(t.node)})`;

// CPU time (user + sys) moves far less with the machine's load than wall time does.
async function cpuMs(args, env) {
  const r = await runOnce('/usr/bin/time', ['-f', '%U %S', process.execPath, ...args], env);
  const [user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return (user + sys) * 1000;
}
async function cpuVsNode(args, env, runs = 5) {
  if (!existsSync('/usr/bin/time')) return undefined;
  const cpu = [];
  const node = [];
  for (let i = 0; i < runs; i++) {
    node.push(await cpuMs(['-e', '0'], env));
    cpu.push(await cpuMs(args, env));
  }
  const m = median(cpu);
  const n = median(node);
  return `${ms(m)} = ${(m / n).toFixed(2)}× node -e 0 (${ms(n)})`;
}

async function peakRssKb(args, env) {
  if (!existsSync('/usr/bin/time')) return undefined;
  const r = await runOnce('/usr/bin/time', ['-f', '%M', process.execPath, ...args], env);
  const kb = Number(r.stderr.trim().split('\n').pop());
  return Number.isFinite(kb) ? kb : undefined;
}

const results = [];
const row = (what, value, target, pass) => {
  results.push({ what, value, target, pass });
  console.log(`${pass === undefined ? ' ' : pass ? '✓' : '✗'} ${what}: ${value}${target ? ` (target ${target})` : ''}`);
};

// 1. Startup.
const RUNS = 20;
const baseline = (await wall(process.execPath, ['-e', '0'], {}, RUNS)).median;
row('node -e 0 (baseline)', `${ms(baseline)}${process.env.NODE_EXTRA_CA_CERTS ? ' (NODE_EXTRA_CA_CERTS set)' : ''}`);
{
  const t = await wallVsNode([SENZA, '--help'], {}, RUNS);
  row('senza --help', vsNode(t), '≤ 1.15× node -e 0', t.ratio <= 1.15);
  const v = await wallVsNode([SENZA, '--version'], {}, RUNS);
  row('senza --version', vsNode(v), '≤ 1.2× node -e 0', v.ratio <= 1.2);
}

// 2. Pure compile of a 50-component definition (in process, no I/O).
{
  const senza = await import('@stups/core/senza');
  const components = [{ Configuration: { Type: 'Senza::StupsAutoConfiguration' } }];
  for (let i = 0; i < 49; i++) {
    components.push(
      i % 2 === 0
        ? {
            [`App${i}`]: {
              Type: 'Senza::TaupageAutoScalingGroup',
              InstanceType: 't2.micro',
              SecurityGroups: ['app-hello-world'],
              IamRoles: ['app-hello-world'],
              ElasticLoadBalancer: `Lb${i + 1}`,
              AutoScaling: { Minimum: 1, Maximum: 4, MetricType: 'CPU', ScaleUpThreshold: 70, ScaleDownThreshold: 30 },
              TaupageConfig: {
                runtime: 'Docker',
                source: 'stups/app:{{Arguments.ImageVersion}}',
                ports: { 8080: 8080 },
                environment: { I: String(i) },
              },
            },
          }
        : {
            [`Lb${i}`]: {
              Type: 'Senza::ElasticLoadBalancer',
              HTTPPort: 8080,
              SecurityGroups: ['app-hello-world-lb'],
              NameSuffix: `n${i}`,
              Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 8080 }],
            },
          },
    );
  }
  const doc = { SenzaInfo: { StackName: 'big', Parameters: [{ ImageVersion: {} }] }, SenzaComponents: components };
  const snapshot = JSON.parse(readFileSync(join(ROOT, 'bench/account.json'), 'utf8'));
  const definition = senza.parseDefinition(JSON.stringify(doc), 'big.yaml');
  const request = { definition, version: '1', parameters: ['1.0'], region: snapshot.region, force: true };
  const facts = new senza.AccountFacts(snapshot);
  const times = [];
  for (let i = 0; i < 60; i++) {
    const t0 = process.hrtime.bigint();
    const prepared = senza.prepareDefinition(request, facts);
    senza.compileTemplate(prepared, facts);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const m = median(times.slice(10));
  row('pure compile, 50 components', ms(m), '≤ 20 ms', m <= 20);
}

// 3. senza print against the seeded local AWS (moto), with two ACM certificates and one Taupage
// channel (dev) that the account has only as a public image.
{
  const { startMoto, seedStupsAccount } = await import('@stups/local');
  const { ACMClient, RequestCertificateCommand } = await import('@aws-sdk/client-acm');
  const { EC2Client, CreateImageCommand, DeregisterImageCommand, ModifyImageAttributeCommand, RunInstancesCommand } =
    await import('@aws-sdk/client-ec2');
  const dir = mkdtempSync(join(os.tmpdir(), 'stups-bench-'));
  const moto = await startMoto({ stateDir: dir });
  try {
    const seeded = await seedStupsAccount(moto.endpoint, { region: 'eu-central-1' });
    const client = {
      endpoint: moto.endpoint,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    };
    const acm = new ACMClient(client);
    await acm.send(new RequestCertificateCommand({ DomainName: '*.other.example.org', ValidationMethod: 'DNS' }));
    const ec2 = new EC2Client(client);
    await ec2.send(new DeregisterImageCommand({ ImageId: seeded.amis['TaupageDev-AMI-20261101-120000'] }));
    const run = await ec2.send(
      new RunInstancesCommand({ ImageId: seeded.amis['Taupage-AMI-20261101-120000'], MinCount: 1, MaxCount: 1 }),
    );
    const image = await ec2.send(
      new CreateImageCommand({
        InstanceId: run.Instances?.[0]?.InstanceId,
        Name: 'TaupageDev-Public-AMI-20261101-120000',
      }),
    );
    await ec2.send(
      new ModifyImageAttributeCommand({ ImageId: image.ImageId, LaunchPermission: { Add: [{ Group: 'all' }] } }),
    );
    acm.destroy();
    ec2.destroy();
    const env = {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local',
      NODE_NO_WARNINGS: '1',
    };
    const args = [SENZA, 'print', join(ROOT, 'examples/hello-world.yaml'), '1', '0.1'];
    const t = await wallVsNode([...args, '--debug'], env, 10);
    const calls = Number(/(\d+) AWS calls/.exec(t.last.stderr)?.[1]);
    // The issue's target is 7× faster than the original senza side by side (no registry here serves it):
    // ≤ 2.6× `node -e 0` is its proxy (docs/benchmarks.md).
    row('senza print hello-world (local moto)', vsNode(t), '≤ 2.6× node -e 0', t.ratio <= 2.6);
    row('  AWS calls (2 ACM certificates, a public Taupage channel)', String(calls), '≤ 10', calls <= 10);
    // The issue's own measure: the original senza side by side, run alternately with ours against the same
    // moto, where the machine has it (no registry here serves it: docs/benchmarks.md says how to set it up).
    const original = process.env.STUPS_BENCH_ORIGINAL_SENZA?.trim();
    if (original) {
      const [cmd, ...rest] = original.split(/\s+/);
      const theirs = [];
      const ours = [];
      for (let i = 0; i < 10; i++) {
        // boto3 reads the region from AWS_DEFAULT_REGION.
        const o = await runOnce(cmd, [...rest, ...args.slice(1)], { ...env, AWS_DEFAULT_REGION: env.AWS_REGION });
        if (o.status !== 0) throw new Error(`the original senza print failed: ${o.stderr}`);
        theirs.push(o.ms);
        ours.push((await runOnce(process.execPath, args, env)).ms);
      }
      const times = median(theirs) / median(ours);
      row(
        '  the original senza print, side by side',
        `${ms(median(theirs))} against ${ms(median(ours))}: ${times.toFixed(1)}× faster`,
        '≥ 7× faster',
        times >= 7,
      );
    } else {
      row('  the original senza print, side by side', 'skipped: STUPS_BENCH_ORIGINAL_SENZA is not set', '≥ 7× faster');
    }
    // The floor: the requests of one print run, replayed by a process that does nothing else (node:http, no
    // SDK, no definition), so what it takes beyond `node -e 0` is moto's answering alone.
    const captured = join(dir, 'print-requests.json');
    await runOnce(process.execPath, ['--require', join(ROOT, 'bench/print-capture.cjs'), ...args], {
      ...env,
      STUPS_BENCH_CAPTURE: captured,
    });
    const floor = await wallVsNode([join(ROOT, 'bench/print-floor.cjs'), captured], env, 10);
    row('  floor: its requests replayed by node:http alone (moto answering)', vsNode(floor));
    row('  CPU time (user+sys)', (await cpuVsNode(args, env)) ?? 'n/a (no /usr/bin/time)');
    const rss = await peakRssKb(args, env);
    row(
      '  peak memory (max RSS)',
      rss ? `${(rss / 1024).toFixed(1)} MB` : 'n/a (no /usr/bin/time)',
      '≤ 120 MB',
      rss ? rss / 1024 <= 120 : undefined,
    );
  } finally {
    await moto.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// 4. The lifecycle on the local platform: traffic across 5 versions, list with 200 stacks.
{
  const { startPlatform } = await import('@stups/local');
  const { CloudFormationClient, CreateStackCommand } = await import('@aws-sdk/client-cloudformation');
  const dir = mkdtempSync(join(os.tmpdir(), 'stups-bench-platform-'));
  const platform = await startPlatform({ stateDir: dir });
  try {
    const env = {
      AWS_ENDPOINT_URL: platform.endpoint,
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local',
      NODE_NO_WARNINGS: '1',
    };
    const senza = (args) => [SENZA, ...args];
    // 5 versions of hello-world, v1 with all traffic.
    const VERSIONS = 5;
    for (let v = 1; v <= VERSIONS; v++) {
      const r = await runOnce(
        process.execPath,
        senza(['create', join(ROOT, 'examples/hello-world.yaml'), String(v), '1.0', '--wait']),
        env,
      );
      if (r.status !== 0) throw new Error(`create v${v}: ${r.stderr}`);
    }
    await runOnce(process.execPath, senza(['traffic', 'hello-world', '1', '100']), env);
    const times = [];
    const node = [];
    let calls = 0;
    for (let i = 0; i < 6; i++) {
      node.push((await runOnce(process.execPath, ['-e', '0'], env)).ms);
      const r = await runOnce(
        process.execPath,
        senza(['traffic', 'hello-world', String(VERSIONS), i % 2 ? '30' : '60', '--debug']),
        env,
      );
      times.push(r.ms);
      if (r.status !== 0) throw new Error(`traffic: ${r.stderr}`);
      calls = Math.max(calls, Number(/(\d+) AWS calls/.exec(r.stderr)?.[1]));
    }
    const traffic = { median: median(times), node: median(node) };
    traffic.ratio = traffic.median / traffic.node;
    row(
      `senza traffic hello-world ${VERSIONS} P, ${VERSIONS} versions (local platform)`,
      vsNode(traffic),
      '≤ 1000 ms',
      traffic.median <= 1000,
    );
    row('  AWS calls', String(calls), '≤ 12', calls <= 12);
    row(
      '  CPU time (user+sys)',
      (await cpuVsNode(senza(['traffic', 'hello-world', String(VERSIONS), '50']), env)) ?? 'n/a',
    );

    // 200 stacks in all (a queue each besides the hello-world versions), then `senza list`.
    const cfn = new CloudFormationClient({
      endpoint: platform.endpoint,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    });
    const body = JSON.stringify({ Resources: { Q: { Type: 'AWS::SQS::Queue' } } });
    const STACKS = 200;
    for (let i = 0; i < STACKS - VERSIONS; i += 15) {
      await Promise.all(
        Array.from({ length: Math.min(15, STACKS - VERSIONS - i) }, (_, k) =>
          cfn.send(new CreateStackCommand({ StackName: `app${String(i + k).padStart(3, '0')}-1`, TemplateBody: body })),
        ),
      );
    }
    cfn.destroy();
    const list = await wallVsNode(senza(['list', '--debug']), env, 5);
    const listCalls = Number(/(\d+) AWS calls/.exec(list.last.stderr)?.[1]);
    const lines = list.last.stdout.trim().split('\n').length - 1;
    row(
      `senza list, ${lines} stacks (local platform)`,
      vsNode(list),
      '≤ 2000 ms',
      list.median <= 2000 && lines >= STACKS,
    );
    row('  AWS calls (ListStacks pages)', String(listCalls));
    row('  CPU time (user+sys)', (await cpuVsNode(senza(['list']), env)) ?? 'n/a');
    const listRss = await peakRssKb(senza(['list']), env);
    row(
      '  peak memory (max RSS)',
      listRss ? `${(listRss / 1024).toFixed(1)} MB` : 'n/a',
      '≤ 150 MB',
      listRss ? listRss / 1024 <= 150 : undefined,
    );
  } finally {
    await platform.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// 5. zign: a valid stored token, and a client-credentials token from stups-local (bench/zign.mjs).
await (await import('./zign.mjs')).benchZign({ wall, wallVsNode, row, ms });

// 6. Pier One: the credential helper with a cached token, a 100 MB push (bench/pierone.mjs).
await (await import('./pierone.mjs')).benchPierone({ row });

// 7. The runtime's weighted router: added latency and requests/s over loopback (bench/runtime.mjs).
await (await import('./runtime.mjs')).benchRuntime({ row });

// 8. `senza create --wait` with the runtime (private dockerd) against without it (bench/runtime-create.mjs).
await (await import('./runtime-create.mjs')).benchRuntimeCreate({ row });

// Record.
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
const table = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}.`,
  '',
  '| measurement | result | target | |',
  '| --- | --- | --- | --- |',
  ...results.map(
    (r) => `| ${r.what} | ${r.value} | ${r.target ?? ''} | ${r.pass === undefined ? '' : r.pass ? 'ok' : 'MISSED'} |`,
  ),
].join('\n');
// One table per Node major version (docs/benchmarks.md has one for each version we test: 20 and 24).
const major = process.versions.node.split('.')[0];
const doc = join(ROOT, 'docs/benchmarks.md');
if (existsSync(doc)) {
  const text = readFileSync(doc, 'utf8');
  const start = `<!-- bench:node${major}:start -->`;
  const end = `<!-- bench:node${major}:end -->`;
  if (text.includes(start) && text.includes(end)) {
    writeFileSync(
      doc,
      `${text.slice(0, text.indexOf(start) + start.length)}\n${table}\n${text.slice(text.indexOf(end))}`,
    );
  }
}
let exitCode = results.some((r) => r.pass === false) ? 1 : 0;
// `pnpm bench` measures on Node 24 as well (scripts/node24.mjs gets it): the same script, a second pass.
if (process.argv.includes('--also-node-24') && major !== '24') {
  const { node24Bin } = await import('../scripts/node24.mjs');
  const bin = node24Bin();
  console.log(`\nThe same on Node 24 (${bin}):`);
  const again = spawnSync(join(bin, 'node'), [fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
  });
  exitCode ||= again.status ?? 1;
}
process.exit(exitCode);

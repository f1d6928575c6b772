// The runtime's weighted router, called from bench/run.mjs (and runnable alone: `node bench/runtime.mjs`):
// the latency it adds to a request over loopback, and the requests per second it serves. Three processes,
// as on the platform: the router (this one, reading its routes from moto like in production), the
// "containers" (HTTP servers on unix sockets, a child process) and the load generator (another child, a
// node:http keep-alive client with N connections). Each measurement runs direct-to-socket and through the
// router alternately, so both see the same load on a shared machine.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './measure.mjs';

const SELF = fileURLToPath(import.meta.url);

/** Child mode `--backends DIR N`: N HTTP servers on DIR/i-<n>.sock; prints their socket paths. */
async function backends(dir, n) {
  const paths = [];
  for (let i = 0; i < n; i++) {
    const path = join(dir, `i-${i}.sock`);
    const body = Buffer.from(`hello from instance ${i}\n`);
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
        res.end(body);
      });
    });
    server.keepAliveTimeout = 65_000;
    await new Promise((resolve) => server.listen(path, resolve));
    paths.push(path);
  }
  process.stdout.write(`${JSON.stringify(paths)}\n`);
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

/**
 * Child mode `--load JSON`: {target: {socketPath} | {port, host}, connections, ms}; runs `connections`
 * keep-alive request loops for `ms` (after a short warm-up) and prints {requests, rps, medianMs, p99Ms, errors}.
 */
async function load(spec) {
  const { Agent } = await import('node:http');
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const options = spec.target.socketPath
    ? { socketPath: spec.target.socketPath, headers: { host: spec.host } }
    : { host: '127.0.0.1', port: spec.target.port, headers: { host: spec.host } };
  const once = () =>
    new Promise((resolve) => {
      const t0 = process.hrtime.bigint();
      const req = request({ ...options, agent, path: '/' }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200 ? Number(process.hrtime.bigint() - t0) / 1e6 : -1));
      });
      req.on('error', () => resolve(-1));
      req.end();
    });
  const run = async (ms, record) => {
    const end = Date.now() + ms;
    const loops = Array.from({ length: spec.connections }, async () => {
      while (Date.now() < end) record(await once());
    });
    await Promise.all(loops);
  };
  await run(Math.min(500, spec.ms / 4), () => undefined);
  const times = [];
  let errors = 0;
  const t0 = process.hrtime.bigint();
  await run(spec.ms, (t) => (t < 0 ? errors++ : times.push(t)));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  times.sort((a, b) => a - b);
  process.stdout.write(
    `${JSON.stringify({
      requests: times.length,
      rps: times.length / seconds,
      medianMs: median(times),
      p99Ms: times[Math.floor(times.length * 0.99)] ?? 0,
      errors,
    })}\n`,
  );
  agent.destroy();
}

function child(args, { keepOpen = false } = {}) {
  const proc = spawn(process.execPath, [SELF, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const firstLine = new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)));
    });
    proc.on('error', reject);
    proc.on('exit', (code) => reject(new Error(`bench child ${args[0]} exited with ${code}`)));
  });
  if (!keepOpen) proc.stdin.end();
  return { proc, firstLine };
}

const loadOnce = (spec) => child(['--load', JSON.stringify(spec)]).firstLine;

export async function benchRuntime({ row, rounds = 3 }) {
  const { startMoto, startRouter } = await import('@stups/local');
  const { EC2Client, RunInstancesCommand } = await import('@aws-sdk/client-ec2');
  const elbSdk = await import('@aws-sdk/client-elastic-load-balancing');
  const r53 = await import('@aws-sdk/client-route-53');
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-runtime-'));
  const region = 'eu-central-1';
  const moto = await startMoto({ stateDir: join(dir, 'moto') });
  const config = {
    region,
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
  };
  const ec2 = new EC2Client(config);
  const elb = new elbSdk.ElasticLoadBalancingClient(config);
  const route53 = new r53.Route53Client({ ...config, region: 'us-east-1' });
  const instancesPerVersion = 2;
  const servers = child(['--backends', dir, String(2 * instancesPerVersion)], { keepOpen: true });
  let router;
  try {
    const sockets = await servers.firstLine;
    // Two stack versions, each a classic ELB with two instances, weighted 50/50 on the main domain.
    const zone = await route53.send(
      new r53.CreateHostedZoneCommand({ Name: 'bench.example.org.', CallerReference: `bench-${Date.now()}` }),
    );
    const zoneId = zone.HostedZone.Id.replace('/hostedzone/', '');
    const running = [];
    for (const version of ['v1', 'v2']) {
      const name = `bench-${version}`;
      const lb = await elb.send(
        new elbSdk.CreateLoadBalancerCommand({
          LoadBalancerName: name,
          AvailabilityZones: [`${region}a`],
          Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 8080 }],
          Tags: [{ Key: 'aws:cloudformation:stack-name', Value: name }],
        }),
      );
      await elb.send(
        new elbSdk.ConfigureHealthCheckCommand({
          LoadBalancerName: name,
          HealthCheck: { Target: 'HTTP:8080/', Interval: 5, Timeout: 2, HealthyThreshold: 2, UnhealthyThreshold: 2 },
        }),
      );
      const run = await ec2.send(
        new RunInstancesCommand({
          ImageId: 'ami-12c6146b',
          MinCount: instancesPerVersion,
          MaxCount: instancesPerVersion,
        }),
      );
      const ids = run.Instances.map((i) => i.InstanceId);
      await elb.send(
        new elbSdk.RegisterInstancesWithLoadBalancerCommand({
          LoadBalancerName: name,
          Instances: ids.map((InstanceId) => ({ InstanceId })),
        }),
      );
      for (const id of ids) {
        running.push({
          instanceId: id,
          stackName: name,
          region,
          containerId: `bench-${id}`,
          sockets: { 8080: sockets[running.length] },
          running: true,
        });
      }
      await route53.send(
        new r53.ChangeResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          ChangeBatch: {
            Changes: [
              {
                Action: 'CREATE',
                ResourceRecordSet: {
                  Name: 'app.bench.example.org.',
                  Type: 'A',
                  SetIdentifier: name,
                  Weight: 100,
                  AliasTarget: { HostedZoneId: 'Z215JYRZR1TBD5', DNSName: lb.DNSName, EvaluateTargetHealth: false },
                },
              },
            ],
          },
        }),
      );
    }
    router = await startRouter({
      motoEndpoint: moto.endpoint,
      // Without the layer here, the metrics go to moto itself (the bench measures the router alone).
      awsEndpoint: moto.endpoint,
      region,
      maxHealthIntervalSeconds: 1,
      log: (line) => process.stderr.write(`${line}\n`),
      instances: { instances: () => running, consoleOutput: async () => undefined, poke: () => undefined },
    });
    const host = 'app.bench.example.org';
    const deadline = Date.now() + 15_000;
    for (;;) {
      const healthy = ['bench-v1', 'bench-v2'].every((n) =>
        router.health.instanceHealth(n, region)?.every((h) => h.state === 'InService'),
      );
      if (healthy) break;
      if (Date.now() > deadline) throw new Error('bench: the router never saw the instances InService');
      await new Promise((r) => setTimeout(r, 100));
    }

    // Latency: one connection, sequential requests. Throughput: 32 connections.
    const direct = { target: { socketPath: sockets[0] }, host };
    const routed = { target: { port: router.port }, host };
    const lat = { direct: [], routed: [] };
    const rps = { direct: [], routed: [] };
    let errors = 0;
    for (let i = 0; i < rounds; i++) {
      for (const [key, spec] of [
        ['direct', direct],
        ['routed', routed],
      ]) {
        const l = await loadOnce({ ...spec, connections: 1, ms: 1500 });
        const t = await loadOnce({ ...spec, connections: 32, ms: 2000 });
        lat[key].push(l.medianMs);
        rps[key].push(t.rps);
        errors += l.errors + t.errors;
      }
    }
    const added = median(lat.routed) - median(lat.direct);
    const served = median(rps.routed);
    row(
      'router: added latency, median (1 connection, loopback)',
      `${added.toFixed(2)} ms (${median(lat.routed).toFixed(2)} ms routed, ${median(lat.direct).toFixed(2)} ms direct to the socket)`,
      '≤ 2 ms',
      added <= 2,
    );
    row(
      'router: requests/s (32 keep-alive connections, 2 versions × 2 instances)',
      `${Math.round(served)}/s (direct to one socket: ${Math.round(median(rps.direct))}/s), ${errors} failed`,
      '≥ 2,000/s',
      served >= 2000 && errors === 0,
    );
  } finally {
    await router?.close();
    servers.proc.stdin.end();
    ec2.destroy();
    elb.destroy();
    route53.destroy();
    await moto.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const [mode, ...rest] = process.argv.slice(2);
if (process.argv[1] === SELF && mode === '--backends') await backends(rest[0], Number(rest[1]));
else if (process.argv[1] === SELF && mode === '--load') await load(JSON.parse(rest[0]));
else if (process.argv[1] === SELF) {
  const results = [];
  await benchRuntime({
    row: (what, value, target, pass) => {
      results.push(pass);
      console.log(
        `${pass === undefined ? ' ' : pass ? '✓' : '✗'} ${what}: ${value}${target ? ` (target ${target})` : ''}`,
      );
    },
  });
  process.exit(results.some((r) => r === false) ? 1 : 0);
}

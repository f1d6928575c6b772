import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HEALTH_DESCRIPTIONS, targetHealthOf } from './elb-health-states.js';
import { probeOutcome } from './health-checks.js';
import type { HealthCheckSettings } from './route-table.js';

/**
 * What one health check gets, against real servers on unix sockets (as the router probes an instance's
 * forwarder), and how an ELBv2 target group reports it: a 500 (`Target.ResponseCodeMismatch`), no
 * answer in time (`Target.Timeout`), nothing listening (`Target.FailedHealthChecks`), as API_TargetHealth
 * names them.
 */
const dir = mkdtempSync(join(tmpdir(), 'stups-probe-'));
const servers: (Server | HttpServer)[] = [];
const sockets: Socket[] = [];

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

async function listen(server: Server | HttpServer, name: string): Promise<string> {
  const path = join(dir, name);
  servers.push(server);
  server.on('connection', (s: Socket) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return path;
}

const CHECK: HealthCheckSettings = {
  protocol: 'HTTP',
  port: 8080,
  path: '/health',
  intervalSeconds: 1,
  timeoutSeconds: 0.3,
  healthyThreshold: 2,
  unhealthyThreshold: 2,
  successCodes: '200',
};

const failed = (lastCheck: { status?: number; timedOut?: boolean }) =>
  targetHealthOf({
    instanceId: 'i-1',
    state: 'OutOfService',
    reasonCode: 'Instance',
    description: HEALTH_DESCRIPTIONS.failed,
    lastCheck,
  });

describe('a health check probe and the target group reason it makes', () => {
  it('200 passes; 500 fails with its status: Target.ResponseCodeMismatch', async () => {
    const path = await listen(
      createHttpServer((req, res) => {
        res.writeHead(req.url === '/health' ? 500 : 200);
        res.end();
      }),
      'http.sock',
    );
    expect(await probeOutcome(path, { ...CHECK, path: '/' })).toEqual({ ok: true });
    const outcome = await probeOutcome(path, CHECK);
    expect(outcome).toEqual({ ok: false, status: 500 });
    expect(failed({ status: 500 })).toEqual({
      state: 'unhealthy',
      reason: 'Target.ResponseCodeMismatch',
      description: 'Health checks failed with these codes: [500]',
    });
  });

  it('accepted and never answered: a timeout, Target.Timeout', async () => {
    const path = await listen(
      createServer(() => {}),
      'silent.sock',
    );
    expect(await probeOutcome(path, CHECK)).toEqual({ ok: false, timedOut: true });
    expect(failed({ timedOut: true })).toEqual({
      state: 'unhealthy',
      reason: 'Target.Timeout',
      description: 'Request timed out',
    });
  });

  it('nothing listening (the wrong port): a failed connection, Target.FailedHealthChecks', async () => {
    expect(await probeOutcome(join(dir, 'nothing.sock'), CHECK)).toEqual({ ok: false });
    expect(failed({})).toEqual({
      state: 'unhealthy',
      reason: 'Target.FailedHealthChecks',
      description: 'Health checks failed',
    });
  });
});

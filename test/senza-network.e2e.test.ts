import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { connect, createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { type MotoServer, seedStupsAccount, startMoto } from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsEnv, runCli, SENZA } from './support/run-cli.js';

/**
 * senza's AWS traffic through the network as users have it. A state-changing call whose answer is lost after AWS applied it (the fault behind "already exists" for
 * a stack this very command created): a loopback relay in front of local AWS forwards the first
 * CreateStack, lets it be applied, then drops the connection instead of answering. The SDK retries; the
 * call's ClientRequestToken makes the retry this call's own, and the command succeeds.
 */
let work: string;
let moto: MotoServer;
let relay: Server;
let relayUrl: string;
let cfn: CloudFormationClient;
const seen: { action: string; token?: string; dropped: boolean }[] = [];
let dropNext: string | undefined;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'senza-retries-e2e-'));
  moto = await startMoto({ stateDir: join(work, 'moto') });
  await seedStupsAccount(moto.endpoint, { region: 'eu-central-1' });
  const target = new URL(moto.endpoint);
  relay = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const form = new URLSearchParams(body.toString());
      const action = form.get('Action') ?? '';
      const drop = action !== '' && action === dropNext;
      if (drop) dropNext = undefined;
      if (action) {
        seen.push({
          action,
          token: form.get('ClientRequestToken') ?? form.get('ClientToken') ?? undefined,
          dropped: drop,
        });
      }
      const forward = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            // applied by AWS; the answer never reaches the caller
            if (drop) return req.socket.destroy();
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(parts));
          });
        },
      );
      forward.on('error', () => req.socket.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  const a = relay.address();
  if (!a || typeof a === 'string') throw new Error('no port');
  relayUrl = `http://127.0.0.1:${a.port}`;
  cfn = new CloudFormationClient({
    region: 'eu-central-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  });
}, 120_000);

afterAll(async () => {
  cfn?.destroy();
  relay?.closeAllConnections();
  await new Promise((r) => relay?.close(r));
  await moto?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('a CreateStack applied whose answer is lost', () => {
  it('create: the retry with the same ClientRequestToken succeeds; no "already exists"', async () => {
    dropNext = 'CreateStack';
    const env = { ...localAwsEnv(relayUrl), XDG_CONFIG_HOME: join(work, 'config') };
    const r = await runCli(SENZA, ['create', 'examples/hello-world.yaml', '1', '0.1'], env);
    expect(r.stderr).not.toContain('already exists');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Creating Cloud Formation stack hello-world-1.. OK');
    const creates = seen.filter((s) => s.action === 'CreateStack');
    expect(creates).toHaveLength(2);
    expect(creates[0].dropped).toBe(true);
    // one token for the call, the same on its retry
    expect(creates[0].token).toMatch(/^stups-[0-9a-f-]{36}$/);
    expect(creates[1].token).toBe(creates[0].token);
    const stacks = await cfn.send(new DescribeStacksCommand({ StackName: 'hello-world-1' }));
    expect(stacks.Stacks).toHaveLength(1);
  });

  it('update: an UpdateStack applied whose answer is lost is OK, not "NO UPDATE" nor "in progress"', async () => {
    dropNext = 'UpdateStack';
    const before = seen.length;
    const env = { ...localAwsEnv(relayUrl), XDG_CONFIG_HOME: join(work, 'config') };
    const r = await runCli(SENZA, ['update', 'examples/hello-world.yaml', '1', '0.2'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Updating Cloud Formation stack hello-world-1.. OK');
    const updates = seen.slice(before).filter((s) => s.action === 'UpdateStack');
    expect(updates.map((u) => u.dropped)).toEqual([true, false]);
    expect(updates[1].token).toBe(updates[0].token);
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'hello-world-1' }))).Stacks?.[0];
    expect(stack?.Parameters?.find((p) => p.ParameterKey === 'ImageVersion')?.ParameterValue).toBe('0.2');
  });

  it('diff: a CreateChangeSet applied whose answer is lost still shows the change set', async () => {
    dropNext = 'CreateChangeSet';
    const before = seen.length;
    const env = { ...localAwsEnv(relayUrl), XDG_CONFIG_HOME: join(work, 'config') };
    const r = await runCli(SENZA, ['diff', '--exit-code', 'examples/hello-world.yaml', '1', '0.3'], env);
    expect(r.code, r.stderr).toBe(5);
    expect(r.stdout).toContain('[~] ImageVersion: "0.2" → "0.3"');
    const creates = seen.slice(before).filter((s) => s.action === 'CreateChangeSet');
    expect(creates[0].dropped).toBe(true);
    expect(creates[0].token).toMatch(/^stups-/);
    expect(creates.every((c) => c.token === creates[0].token)).toBe(true);
  });

  it('a stack that existed before the command is still "already exists" (exit 1)', async () => {
    const env = { ...localAwsEnv(relayUrl), XDG_CONFIG_HOME: join(work, 'config') };
    const r = await runCli(SENZA, ['create', 'examples/hello-world.yaml', '1', '0.1'], env);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('Stack hello-world-1 already exists. Please choose another version.');
  });
});

describe('senza through an HTTP proxy (HTTP_PROXY, NO_PROXY)', () => {
  it('every AWS call of `senza list` goes through the CONNECT proxy; NO_PROXY bypasses it', async () => {
    const tunnels: string[] = [];
    const open: Socket[] = [];
    const proxy = createNetServer((client) => {
      open.push(client);
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        client.off('data', onData);
        const m = /^CONNECT (\S+):(\d+) HTTP\/1\.1/.exec(head.toString('latin1'));
        if (!m) return client.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n');
        tunnels.push(`${m[1]}:${m[2]}`);
        const upstream = connect(Number(m[2]), m[1], () => {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          client.pipe(upstream).pipe(client);
        });
        open.push(upstream);
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
      };
      client.on('data', onData);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const a = proxy.address();
    if (!a || typeof a === 'string') throw new Error('no port');
    try {
      const base = { ...localAwsEnv(moto.endpoint), XDG_CONFIG_HOME: join(work, 'config') };
      const through = await runCli(SENZA, ['list'], { ...base, HTTP_PROXY: `http://127.0.0.1:${a.port}` });
      expect(through.code, through.stderr).toBe(0);
      expect(through.stdout).toContain('hello-world');
      expect(tunnels.length).toBeGreaterThan(0);
      expect(new Set(tunnels)).toEqual(new Set([new URL(moto.endpoint).host]));
      const count = tunnels.length;
      const bypass = await runCli(SENZA, ['list'], {
        ...base,
        http_proxy: `http://127.0.0.1:${a.port}`,
        no_proxy: '127.0.0.1',
      });
      expect(bypass.code, bypass.stderr).toBe(0);
      expect(tunnels.length).toBe(count);
    } finally {
      for (const s of open) s.destroy();
      await new Promise((r) => proxy.close(r));
    }
  });
});

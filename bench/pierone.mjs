#!/usr/bin/env node
// Pier One benchmarks: `docker-credential-pierone get` with a cached token (Docker runs it on every
// push and pull) against `node -e 0`, with no registry listening (the target) and with the local one
// answering its check; and a 100 MB blob pushed to the local registry over loopback, with the
// registry's memory watched while it streams. Called from bench/run.mjs; runs alone too.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, timedRun } from './measure.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// The shipped bin: the bundle (packages/pierone/scripts/bundle.mjs).
const HELPER = join(ROOT, 'packages/pierone/dist/docker-credential-pierone.cjs');
const RUNS = 20;
const MB = 1024 * 1024;

async function timed(cmd, args, env, input) {
  const r = await timedRun(cmd, args, { env, input: input ?? '' });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r.ms;
}

/** Interleaved runs, so that the machine's load hits both sides alike; `serverUrl` is what Docker sends. */
async function helperVsNode(env, serverUrl) {
  const node = [];
  const helper = [];
  for (let i = 0; i < RUNS; i++) {
    node.push(await timed(process.execPath, ['-e', '0'], {}));
    helper.push(await timed(process.execPath, [HELPER, 'get'], env, `${serverUrl}\n`));
  }
  return { node: median(node), helper: median(helper) };
}

/** A token store holding a valid `pierone` token with the scopes a push needs. */
function storeToken(home, token) {
  const store = join(home, 'zalando-token-cli');
  mkdirSync(store, { recursive: true });
  writeFileSync(
    join(store, 'tokens.yaml'),
    `pierone:\n  access_token: ${token}\n  creation_time: ${Date.now() / 1000}\n  expires_in: 3600\n  name: pierone\n  refresh_token: null\n  scope: uid application.write\n  token_type: Bearer\n`,
  );
}

/** The registry (with its OAuth provider) in a child process: its memory is measured alone. */
function startRegistryProcess(root) {
  const script = `
    import { startOAuthProvider, startRegistry, CI_CLIENT } from '@stups/local';
    const provider = await startOAuthProvider({ accessTokenSeconds: 3600 });
    const registry = await startRegistry({ root: ${JSON.stringify(root)}, tokeninfoUrl: provider.tokeninfoUrl, clientTeams: { [CI_CLIENT.client_id]: 'myteam' } });
    const basic = 'Basic ' + Buffer.from(CI_CLIENT.client_id + ':' + CI_CLIENT.client_secret).toString('base64');
    const res = await fetch(provider.tokenUrl, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&scope=uid application.write' });
    const { access_token } = await res.json();
    process.stdout.write(JSON.stringify({ url: registry.url, token: access_token }) + '\\n');
    process.stdin.on('end', () => process.exit(0)); process.stdin.resume();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: join(ROOT, 'packages/local'),
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve({ child, ...JSON.parse(out) });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`registry process exited (${code})`)));
  });
}

function rssKb(pid) {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

function send(url, method, headers, body) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res));
    });
    req.on('error', reject);
    if (typeof body === 'function') body(req);
    else req.end(body);
  });
}

async function push100MB(registry) {
  const chunk = randomBytes(MB);
  const hash = createHash('sha256');
  for (let i = 0; i < 100; i++) hash.update(chunk);
  const digest = `sha256:${hash.digest('hex')}`;
  const auth = { authorization: `Bearer ${registry.token}` };
  const started = await send(`${registry.url}/v2/myteam/bench/blobs/uploads/`, 'POST', auth);
  const location = new URL(started.headers.location, registry.url);
  const before = rssKb(registry.child.pid);
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssKb(registry.child.pid));
  }, 20);
  const t0 = process.hrtime.bigint();
  const patched = await send(
    location,
    'PATCH',
    { ...auth, 'content-type': 'application/octet-stream' },
    async (req) => {
      for (let i = 0; i < 100; i++) if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
      req.end();
    },
  );
  const done = await send(`${new URL(patched.headers.location, registry.url)}?digest=${digest}`, 'PUT', auth);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(sampler);
  if (done.statusCode !== 201) throw new Error(`push answered ${done.statusCode}`);
  return { mbps: 100 / seconds, growthMb: (peak - before) / 1024 };
}

export async function benchPierone({ row }) {
  const root = mkdtempSync(join(tmpdir(), 'bench-registry-'));
  const home = mkdtempSync(join(tmpdir(), 'bench-helper-'));
  const registry = await startRegistryProcess(root);
  try {
    // The target's case: no registry listens, so the check costs a refused connection.
    storeToken(home, 't'.repeat(40));
    const t = await helperVsNode({ XDG_CONFIG_HOME: home }, '127.0.0.1:5000');
    const ratio = t.helper / t.node;
    row(
      'docker-credential-pierone get, cached token',
      `${t.helper.toFixed(1)} ms = ${ratio.toFixed(2)}× node -e 0 (${t.node.toFixed(1)} ms)`,
      '≤ 1.25× node -e 0',
      ratio <= 1.25,
    );
    // As on a push: the local registry answers the check (GET /v2/, the token looked up at its issuer).
    storeToken(home, registry.token);
    const a = await helperVsNode({ XDG_CONFIG_HOME: home }, new URL(registry.url).host);
    row(
      '  the same, the registry answering its check',
      `${a.helper.toFixed(1)} ms = ${(a.helper / a.node).toFixed(2)}× node -e 0 (${a.node.toFixed(1)} ms)`,
    );
    const p = await push100MB(registry);
    row('100 MB blob push to the local registry (loopback)', `${p.mbps.toFixed(0)} MB/s`, '≥ 100 MB/s', p.mbps >= 100);
    row(
      '  registry memory growth during the push',
      `${p.growthMb.toFixed(1)} MB`,
      '≤ 50 MB (streamed)',
      p.growthMb <= 50,
    );
  } finally {
    registry.child.stdin.end();
    rmSync(home, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = [];
  await benchPierone({
    row: (what, value, target, pass) => {
      results.push(pass);
      console.log(
        `${pass === undefined ? ' ' : pass ? '✓' : '✗'} ${what}: ${value}${target ? ` (target ${target})` : ''}`,
      );
    },
  });
  process.exit(results.some((r) => r === false) ? 1 : 0);
}

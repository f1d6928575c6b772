import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIAL_HELPER } from './support/pierone-user.js';
import { ROOT, runProgram, SENZA } from './support/run-cli.js';
import { ZIGN, ZTOKEN } from './support/zign-session.js';

// The commands another tool runs on every call (Docker's credential helper, a CI step's `zign token`) and
// `senza --help` are answered mostly by Node's own start: these check what they load beyond it (the
// measurements are bench/run.mjs's, docs/benchmarks.md). Each run is preloaded with a script that writes
// the Node built-ins loaded by the end of the run (process.moduleLoadList) and the files it required.
let dir: string;
let home: string;
const PRELOAD = () => join(dir, 'loads.cjs');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-startup-'));
  home = join(dir, 'home');
  mkdirSync(join(home, 'zalando-token-cli'), { recursive: true, mode: 0o700 });
  const now = Date.now() / 1000;
  const token = (name: string) =>
    `${name}:\n  access_token: ${name}-token\n  creation_time: ${now}\n  expires_in: 3600\n  name: ${name}\n  refresh_token: null\n  scope: uid application.write\n  token_type: Bearer\n`;
  writeFileSync(join(home, 'zalando-token-cli', 'tokens.yaml'), token('pierone') + token('ci'), { mode: 0o600 });
  writeFileSync(
    PRELOAD(),
    `const files = [];
const M = require('node:module');
const load = M._load;
M._load = function (request, parent, isMain) { if (/^[./]/.test(request)) files.push(request); return load.apply(this, arguments); };
process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADS_OUT, JSON.stringify({ builtins: process.moduleLoadList, files })));
`,
  );
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function loads(bin: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string) {
  const out = join(dir, `loads-${Math.random().toString(36).slice(2)}.json`);
  const r = await runProgram(process.execPath, ['--require', PRELOAD(), bin, ...args], {
    cwd: ROOT,
    input,
    env: { PATH: process.env.PATH, NODE_NO_WARNINGS: '1', XDG_CONFIG_HOME: home, LOADS_OUT: out, ...env },
  });
  const seen = JSON.parse(readFileSync(out, 'utf8')) as { builtins: string[]; files: string[] };
  const builtin = (name: string) => seen.builtins.includes(`NativeModule ${name}`);
  return { ...r, builtin, files: seen.files };
}

/** A canned CloudFormation answer to `senza list`'s one call (ListStacks): no stacks. */
const LIST_STACKS =
  '<ListStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><ListStacksResult><StackSummaries/></ListStacksResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></ListStacksResponse>';

describe('start-up of the commands run on every call', () => {
  it('zign and ztoken ship as CommonJS bundles: a stored token is answered by one file, without YAML or OAuth code', async () => {
    for (const [bin, args] of [
      [ZIGN, ['token', '-n', 'ci']],
      [ZTOKEN, ['-n', 'ci']],
    ] as const) {
      expect(bin).toMatch(/\.cjs$/);
      const r = await loads(bin, [...args], { ZIGN_ISSUER: 'http://127.0.0.1:9' });
      expect(r).toMatchObject({ code: 0, stdout: 'ci-token\n' });
      // Node loads the bin itself and nothing else of the package: no chunk, no ES module graph.
      expect(r.files).toEqual([bin]);
      expect(r.builtin('crypto')).toBe(false);
      // The answer is written to fd 1 directly: process.stdout (Node's stream stack) is never built.
      expect(r.builtin('stream')).toBe(false);
      expect(readFileSync(bin, 'utf8')).not.toMatch(/openid-client|commander|yaml@/);
    }
  });

  it('zign beyond a stored token compiles its CLI chunks through the code cache; the stored token writes none', async () => {
    const cache = join(dir, 'zign-cache');
    const fast = await loads(ZIGN, ['token', '-n', 'ci'], { XDG_CACHE_HOME: cache, ZIGN_ISSUER: 'http://127.0.0.1:9' });
    expect(fast).toMatchObject({ code: 0, stdout: 'ci-token\n' });
    expect(existsSync(cache)).toBe(false);
    const full = await loads(ZIGN, ['--version'], { XDG_CACHE_HOME: cache });
    expect(full.code, full.stderr).toBe(0);
    expect(full.files.some((f) => f.includes('bundle-chunks'))).toBe(true);
    // One entry per chunk on Node 20 (core's hook), Node's own cache directory on Node 22+.
    expect(readdirSync(join(cache, 'stups-ts', `v8-${process.version}`), { recursive: true }).length).toBeGreaterThan(
      0,
    );
  });

  it('docker-credential-pierone get with a stored token loads neither TLS, Node’s fetch nor its HTTP client for a loopback registry', async () => {
    expect(CREDENTIAL_HELPER).toMatch(/\.cjs$/);
    // Nothing listens on port 9: the registry's check is no verdict, and the stored token is the answer.
    const r = await loads(CREDENTIAL_HELPER, ['get'], {}, '127.0.0.1:9\n');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ServerURL: '127.0.0.1:9', Username: 'oauth2', Secret: 'pierone-token' });
    // The registry's check is a bare socket (http/loopback-status.ts): node:net, not node:http.
    expect(r.builtin('net')).toBe(true);
    expect(r.builtin('http')).toBe(false);
    expect(r.builtin('https')).toBe(false);
    expect(r.builtin('tty')).toBe(false);
    expect(r.builtin('tls')).toBe(false);
    expect(r.builtin('internal/deps/undici/undici')).toBe(false);
    expect(r.files.some((f) => /get-token|openid/.test(f))).toBe(false);
  });

  it('senza against a plain-HTTP AWS endpoint loads no TLS, AWS_CA_BUNDLE set or not', async () => {
    // `senza list`'s one call (ListStacks), answered over plain HTTP.
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(LIST_STACKS);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
    try {
      const aws = {
        AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        AWS_REGION: 'eu-central-1',
        AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
        AWS_SECRET_ACCESS_KEY: 'local',
      };
      for (const env of [aws, { ...aws, AWS_CA_BUNDLE: ca }]) {
        const r = await loads(SENZA, ['list', '--debug'], env);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toContain('1 AWS calls: CloudFormation ListStacks');
        expect(r.builtin('http')).toBe(true);
        expect(r.builtin('https')).toBe(false);
        expect(r.builtin('tls')).toBe(false);
      }
    } finally {
      server.close();
    }
  });

  it('senza against an https AWS endpoint of a private CA: trusted with AWS_CA_BUNDLE, refused without', async () => {
    const cert = join(dir, 'aws-cert.pem');
    const key = join(dir, 'aws-key.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'].concat([
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
        '-keyout',
        key,
        '-out',
        cert,
      ]),
      { stdio: 'ignore' },
    );
    const server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(LIST_STACKS);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const aws = {
        AWS_ENDPOINT_URL: `https://localhost:${(server.address() as AddressInfo).port}`,
        AWS_REGION: 'eu-central-1',
        AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_MAX_ATTEMPTS: '1',
      };
      const trusted = await loads(SENZA, ['list', '--debug'], { ...aws, AWS_CA_BUNDLE: cert });
      expect(trusted.code, trusted.stderr).toBe(0);
      expect(trusted.builtin('tls')).toBe(true);
      const refused = await loads(SENZA, ['list'], aws);
      expect(refused.code).not.toBe(0);
    } finally {
      server.close();
    }
  });

  it('senza --help and --version load neither node:crypto nor node:vm, nor the stream stack for their output', async () => {
    for (const flag of ['--help', '--version']) {
      const r = await loads(SENZA, [flag]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.builtin('crypto')).toBe(false);
      expect(r.builtin('vm')).toBe(false);
      expect(r.builtin('stream')).toBe(false);
      expect(r.files).toEqual([SENZA]);
    }
  });
});

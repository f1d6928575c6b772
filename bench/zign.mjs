// zign's benchmark cases, called from bench/run.mjs (and runnable alone: `node bench/zign.mjs`):
// `zign token -n NAME` with a valid stored token (no network), and a client-credentials token acquired
// from the local OAuth provider.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The shipped bin: the bundle (packages/zign/scripts/bundle.mjs).
const ZIGN = fileURLToPath(new URL('../packages/zign/dist/zign.cjs', import.meta.url));

export async function benchZign({ wall, wallVsNode, row, ms, runs = 20 }) {
  const { startOAuthProvider, CI_CLIENT } = await import('@stups/local');
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-zign-'));
  const provider = await startOAuthProvider({});
  try {
    const store = join(dir, 'zalando-token-cli');
    mkdirSync(store, { recursive: true, mode: 0o700 });
    const now = Date.now() / 1000;
    writeFileSync(
      join(store, 'tokens.yaml'),
      `bench:\n  access_token: a.b.c\n  creation_time: ${now}\n  expires_in: 3600\n  name: bench\n  refresh_token: null\n  scope: ''\n  token_type: Bearer\n`,
      { mode: 0o600 },
    );
    // An unreachable issuer: a network call would fail the run.
    const cachedEnv = { XDG_CONFIG_HOME: dir, ZIGN_ISSUER: 'http://127.0.0.1:9' };
    // Paired with `node -e 0` run alternately (the same load on both sides of the ratio).
    const t = await wallVsNode([ZIGN, 'token', '-n', 'bench'], cachedEnv, runs);
    const cached = t.median;
    row(
      'zign token -n NAME (valid stored token, no network)',
      `${ms(cached)} = ${t.ratio.toFixed(2)}× node -e 0 (${ms(t.node)})`,
      '≤ 1.25× node -e 0',
      t.ratio <= 1.25,
    );
    const ccEnv = {
      XDG_CONFIG_HOME: dir,
      ZIGN_ISSUER: provider.issuer,
      ZIGN_CLIENT_ID: CI_CLIENT.client_id,
      ZIGN_CLIENT_SECRET: CI_CLIENT.client_secret,
    };
    const cc = (await wall(process.execPath, [ZIGN, 'token', 'uid'], ccEnv, runs)).median;
    row(
      'zign token (client credentials from stups-local)',
      `${ms(cc)} = ${ms(cc - cached)} beyond the cached token`,
      '< 150 ms beyond',
      cc - cached < 150,
    );
  } finally {
    await provider.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { median, timedRun } = await import('./measure.mjs');
  const wall = async (cmd, args, env, runs) => {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const r = await timedRun(cmd, args, { env });
      if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
      times.push(r.ms);
    }
    return { median: median(times) };
  };
  const wallVsNode = async (args, env, runs) => {
    const times = [];
    const node = [];
    for (let i = 0; i < runs; i++) {
      node.push((await timedRun(process.execPath, ['-e', '0'], { env })).ms);
      const r = await timedRun(process.execPath, args, { env });
      if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
      times.push(r.ms);
    }
    const m = median(times);
    const n = median(node);
    return { median: m, node: n, ratio: m / n };
  };
  const ms = (x) => `${x.toFixed(1)} ms`;
  let failed = false;
  await benchZign({
    wall,
    ms,
    wallVsNode,
    row: (what, value, target, pass) => {
      failed ||= pass === false;
      console.log(`${pass ? '✓' : '✗'} ${what}: ${value} (target ${target})`);
    },
  });
  process.exit(failed ? 1 : 0);
}

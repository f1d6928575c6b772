// zign's benchmark cases, called from bench/run.mjs (and runnable alone: `node bench/zign.mjs`):
// `zign token -n NAME` with a valid stored token (no network), and a client-credentials token acquired
// from the local OAuth provider.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ZIGN = fileURLToPath(new URL('../packages/zign/dist/zign.js', import.meta.url));

export async function benchZign({ wall, row, ms, baseline, runs = 20 }) {
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
    const cached = (await wall(process.execPath, [ZIGN, 'token', '-n', 'bench'], cachedEnv, runs)).median;
    row(
      'zign token -n NAME (valid stored token, no network)',
      `${ms(cached)} = ${(cached / baseline).toFixed(2)}× node`,
      '≤ 1.3× node -e 0',
      cached <= 1.3 * baseline,
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
  const ms = (x) => `${x.toFixed(1)} ms`;
  const baseline = (await wall(process.execPath, ['-e', '0'], {}, 20)).median;
  console.log(`node -e 0: ${ms(baseline)}`);
  let failed = false;
  await benchZign({
    wall,
    ms,
    baseline,
    row: (what, value, target, pass) => {
      failed ||= pass === false;
      console.log(`${pass ? '✓' : '✗'} ${what}: ${value} (target ${target})`);
    },
  });
  process.exit(failed ? 1 : 0);
}

#!/usr/bin/env node
// README command 1: the local platform (moto, seeded like a STUPS account) and `senza print` of
// every example against it, as a user would run it. Everything started here is stopped by PID.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedStupsAccount, startMoto } from '@stups/local';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SENZA = join(ROOT, 'packages/senza/dist/bin.js');
const ARGS = {
  'hello-world.yaml': ['1', '0.1'],
  'elbv2.yaml': ['v3', '2.0'],
  'https-listener.yaml': ['1', '1.0'],
  'autoscaling-cpu.yaml': ['1', '1.0', 'Stage=live'],
  'redis-node.yaml': ['1'],
};

const dir = mkdtempSync(join(os.tmpdir(), 'stups-demo-'));
console.log('Starting the local AWS (moto) and seeding a STUPS-like account..');
const moto = await startMoto({ stateDir: dir });
let failed = false;
try {
  await seedStupsAccount(moto.endpoint, { region: 'eu-central-1' });
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local',
    NODE_NO_WARNINGS: '1',
  };
  console.log(
    `  export AWS_ENDPOINT_URL=${moto.endpoint} AWS_REGION=eu-central-1 AWS_ACCESS_KEY_ID=AKIDLOCAL AWS_SECRET_ACCESS_KEY=local\n`,
  );
  for (const example of readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml'))) {
    const args = ['print', `examples/${example}`, ...(ARGS[example] ?? ['1'])];
    console.log(`$ senza ${args.join(' ')}`);
    const r = spawnSync(process.execPath, [SENZA, ...args], { cwd: ROOT, env, encoding: 'utf8' });
    process.stderr.write(r.stderr);
    if (r.status !== 0) {
      failed = true;
      continue;
    }
    const template = JSON.parse(r.stdout);
    const resources = Object.entries(template.Resources).map(
      ([id, res]) => `${id} (${res.Type.replace(/^AWS::/, '')})`,
    );
    console.log(`  ${resources.length} resources: ${resources.join(', ')}\n`);
  }
  if (process.argv.includes('--show')) {
    const r = spawnSync(process.execPath, [SENZA, 'print', 'examples/hello-world.yaml', '1', '0.1'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    console.log(r.stdout);
  }
} finally {
  await moto.stop();
  rmSync(dir, { recursive: true, force: true });
  console.log('Stopped the local AWS.');
}
process.exit(failed ? 1 : 0);

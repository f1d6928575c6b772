import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './support/run-cli.js';

// Each package as a user installs it: `pnpm pack`, then an install of the tarballs into an empty
// project (workspace links replaced by the packed versions).
let dir: string;
let app: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stups-pack-'));
  for (const pkg of ['core', 'cli-kit', 'local', 'senza', 'zign', 'pierone', 'piu']) {
    execFileSync('pnpm', ['pack', '--pack-destination', dir], { cwd: join(ROOT, 'packages', pkg), stdio: 'pipe' });
  }
  const tarball = (name: string) =>
    `file:${join(dir, readdirSync(dir).find((f) => f.startsWith(`stups-${name}-`)) ?? '')}`;
  app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'try-stups',
      private: true,
      type: 'module',
      dependencies: {
        '@stups/senza': tarball('senza'),
        '@stups/zign': tarball('zign'),
        '@stups/pierone': tarball('pierone'),
        '@stups/piu': tarball('piu'),
        '@stups/local': tarball('local'),
        '@stups/core': tarball('core'),
      },
    }),
  );
  writeFileSync(
    join(app, 'pnpm-workspace.yaml'),
    // As a pnpm user must: dockerode's (stups-local's runtime) ssh2, cpu-features and protobufjs work
    // without their install scripts, and pnpm refuses to install while they are neither allowed nor denied.
    `overrides:\n  "@stups/core": "${tarball('core')}"\n  "@stups/cli-kit": "${tarball('cli-kit')}"\n` +
      'allowBuilds:\n  cpu-features: false\n  protobufjs: false\n  ssh2: false\n',
  );
  execFileSync('pnpm', ['install', '--prefer-offline'], { cwd: app, stdio: 'pipe' });
}, 180_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('packed packages', () => {
  it('senza installs from its tarball and runs', async () => {
    const bin = join(app, 'node_modules', '@stups', 'senza', 'dist', 'bundle', 'senza.cjs');
    const version = await runCli(bin, ['--version'], {}, app);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe('senza 0.1.0');
    const help = await runCli(bin, ['--help'], {}, app);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: senza [options] [command]');
    writeFileSync(join(app, 'queue.yaml'), 'SenzaInfo: {StackName: queue}\nResources: {Q: {Type: AWS::SQS::Queue}}\n');
    const print = await runCli(bin, ['print', 'queue.yaml', '1', '--region', 'eu-central-1'], {}, app);
    expect(print.code, print.stderr).toBe(0);
    expect(JSON.parse(print.stdout).Mappings.Senza.Info.StackName).toBe('queue');
  });

  it('the senza bundle needs no runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(app, 'node_modules', '@stups', 'senza', 'package.json'), 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it('the senza, zign and ztoken bins are linked for users', () => {
    expect(readdirSync(join(app, 'node_modules', '.bin'))).toEqual(expect.arrayContaining(['senza', 'zign', 'ztoken']));
  });

  it('zign installs from its tarball and runs (engine and openid-client included)', async () => {
    const bin = join(app, 'node_modules', '@stups', 'zign', 'dist', 'ztoken.cjs');
    expect((await runCli(bin, ['--version'], {}, app)).stdout.trim()).toBe('ztoken 0.1.0');
    const fixed = await runCli(bin, ['-n', 'x'], { OAUTH2_ACCESS_TOKENS: 'x=packed' }, app);
    expect(fixed).toMatchObject({ code: 0, stdout: 'packed\n' });
    const unreachable = await runCli(bin, ['token', '-n', 'y'], { HOME: dir, ZIGN_ISSUER: 'http://127.0.0.1:9' }, app);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('Could not reach GET http://127.0.0.1:9/.well-known/openid-configuration');
  });

  it('pierone and docker-credential-pierone install from their tarball and run', async () => {
    const pkg = join(app, 'node_modules', '@stups', 'pierone', 'dist');
    const version = await runCli(join(pkg, 'bin.js'), ['--version'], {}, app);
    expect(version.stdout.trim()).toBe('pierone 0.1.0');
    const list = await runCli(
      join(pkg, 'docker-credential-pierone.cjs'),
      ['list'],
      { DOCKER_CONFIG: join(dir, 'docker') },
      app,
    );
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toBe('{}\n');
    expect(readdirSync(join(app, 'node_modules', '.bin'))).toEqual(
      expect.arrayContaining(['pierone', 'docker-credential-pierone']),
    );
  });

  it('stups-local installs from its tarball and runs on the kit', async () => {
    const bin = join(app, 'node_modules', '@stups', 'local', 'dist', 'cli.js');
    const help = await runCli(bin, ['--help'], {}, app);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage: stups-local [options] [command]');
    const status = await runCli(bin, ['status', '--state-dir', join(dir, 'no-platform')], {}, app);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('stups-local is not running');
    expect(readdirSync(join(app, 'node_modules', '.bin'))).toContain('stups-local');
  });

  it('piu installs from its tarball and runs', async () => {
    const bin = join(app, 'node_modules', '@stups', 'piu', 'dist', 'bin.js');
    const version = await runCli(bin, ['--version'], {}, app);
    expect(version.stdout.trim()).toBe('piu 0.1.0');
    const help = await runCli(bin, ['--help'], {}, app);
    expect(help.stdout).toContain('request-access');
    // The original's `piu HOST REASON` shorthand: a word that reads as a host name, and no reason.
    const noReason = await runCli(bin, ['somehost.example.org'], { USER: 'jdoe' }, app);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('Missing argument "reason".');
  });

  it('@stups/local and the JSON Schema ship in their tarballs', async () => {
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { startMoto, seedStupsAccount } from '@stups/local'; import { createRequire } from 'node:module'; const s = createRequire(import.meta.url)('@stups/core/schema/senza-definition.schema.json'); console.log(typeof startMoto, typeof seedStupsAccount, s.title);",
      ],
      { cwd: app, encoding: 'utf8' },
    );
    expect(out.trim()).toBe('function function Senza definition');
    // The Python moto_server loads (fidelity and speed patches, state persistence) ships beside dist/.
    expect(readdirSync(join(app, 'node_modules', '@stups', 'local', 'python')).sort()).toEqual([
      'sitecustomize.py',
      'stups_moto_acm.py',
      'stups_moto_amis.py',
      'stups_moto_capacity.py',
      'stups_moto_hook.py',
      'stups_moto_launch.py',
      'stups_moto_speed.py',
      'stups_moto_state.py',
    ]);
  });
});

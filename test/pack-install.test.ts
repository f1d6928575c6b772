import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
  for (const pkg of ['core', 'cli-kit', 'local', 'senza', 'piu']) {
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
        '@stups/piu': tarball('piu'),
        '@stups/local': tarball('local'),
        '@stups/core': tarball('core'),
      },
    }),
  );
  writeFileSync(
    join(app, 'pnpm-workspace.yaml'),
    `overrides:\n  "@stups/core": "${tarball('core')}"\n  "@stups/cli-kit": "${tarball('cli-kit')}"\n`,
  );
  execFileSync('pnpm', ['install', '--prefer-offline'], { cwd: app, stdio: 'pipe' });
}, 180_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('packed packages', () => {
  it('senza installs from its tarball and runs', async () => {
    const bin = join(app, 'node_modules', '@stups', 'senza', 'dist', 'bin.js');
    const version = await runCli(bin, ['--version'], {}, app);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe('Senza 0.1.0');
    writeFileSync(join(app, 'queue.yaml'), 'SenzaInfo: {StackName: queue}\nResources: {Q: {Type: AWS::SQS::Queue}}\n');
    const print = await runCli(bin, ['print', 'queue.yaml', '1', '--region', 'eu-central-1'], {}, app);
    expect(print.code, print.stderr).toBe(0);
    expect(JSON.parse(print.stdout).Mappings.Senza.Info.StackName).toBe('queue');
  });

  it('the senza and piu bins are linked for users', () => {
    expect(readdirSync(join(app, 'node_modules', '.bin'))).toEqual(expect.arrayContaining(['senza', 'piu']));
  });

  it('piu installs from its tarball and runs', async () => {
    const bin = join(app, 'node_modules', '@stups', 'piu', 'dist', 'bin.js');
    const version = await runCli(bin, ['--version'], {}, app);
    expect(version.stdout.trim()).toBe('Piu 0.1.0');
    const help = await runCli(bin, ['--help'], {}, app);
    expect(help.stdout).toContain('request-access');
    const noReason = await runCli(bin, ['somehost'], { USER: 'jdoe' }, app);
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
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MotoServer, seedStupsAccount, startMoto } from '@stups/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { senzaMessageSections } from '../packages/senza/src/senza-cli-messages.js';
import { localAwsEnv, runCli, SENZA } from './support/run-cli.js';

let moto: MotoServer;
let env: NodeJS.ProcessEnv;
let work: string;
let registered: Set<string>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'senza-log-format-e2e-'));
  moto = await startMoto({ stateDir: join(work, 'moto') });
  await seedStupsAccount(moto.endpoint, { region: 'eu-central-1' });
  env = localAwsEnv(moto.endpoint);
  registered = new Set((await senzaMessageSections()).flatMap((s) => Object.keys(s.catalog)));
});

afterAll(async () => {
  await moto?.stop();
  rmSync(work, { recursive: true, force: true });
});

const jsonLines = (stderr: string) =>
  stderr
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { level: string; code: string; text: string; span?: { phase: string } });

describe('--log-format json: the messages on stderr as JSON lines, with registered codes', () => {
  it('print, create --dry-run and a failing command: every line parses and every code is registered', async () => {
    const seen: string[] = [];
    const print = await runCli(SENZA, ['--log-format', 'json', 'print', 'examples/hello-world.yaml', '1', '0.1'], env);
    expect(print.code, print.stderr).toBe(0);
    const printed = jsonLines(print.stderr);
    expect(printed.filter((m) => m.code === 'senza.template-generate').map((m) => m.span?.phase)).toEqual([
      'start',
      'end',
    ]);
    seen.push(...printed.map((m) => m.code));

    const dry = await runCli(
      SENZA,
      ['create', '--log-format', 'json', '--dry-run', '--debug', 'examples/hello-world.yaml', '1', '0.1'],
      env,
    );
    expect(dry.code, dry.stderr).toBe(0);
    const lines = jsonLines(dry.stderr);
    expect(lines.map((m) => m.code)).toEqual(
      expect.arrayContaining(['senza.action', 'senza.create-dry-run', 'aws.calls']),
    );
    seen.push(...lines.map((m) => m.code));

    const missing = await runCli(SENZA, ['--log-format', 'json', 'delete', 'nothing-here', '1'], env);
    expect(missing.code).not.toBe(0);
    const failed = jsonLines(missing.stderr);
    expect(failed.at(-1)?.level).toBe('error');
    seen.push(...failed.map((m) => m.code));

    const usage = await runCli(SENZA, ['--log-format', 'json', 'list', '--bogus'], env);
    expect(usage.code).toBe(2);
    expect(jsonLines(usage.stderr)).toEqual([
      expect.objectContaining({ level: 'error', code: 'cli.usage', text: "Unknown option '--bogus'" }),
    ]);
    seen.push('cli.usage');

    expect([...new Set(seen)].filter((c) => !registered.has(c))).toEqual([]);
  });
});

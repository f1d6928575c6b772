import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, SENZA, SENZA_UNBUNDLED } from './support/run-cli.js';

// The shipped senza is a bundle (packages/senza/scripts/bundle.mjs): these check what the bundling step adds.
const BUNDLE_DIR = dirname(SENZA);

describe('the senza bundle', () => {
  it('answers --help and -h from the help rendered at build time, equal to the live help', async () => {
    const stored = readFileSync(join(BUNDLE_DIR, 'help.txt'), 'utf8');
    const live = await runCli(SENZA_UNBUNDLED, ['--help']);
    expect(live.code).toBe(0);
    expect(stored).toBe(live.stdout);
    for (const flag of ['--help', '-h']) {
      const bundled = await runCli(SENZA, [flag]);
      expect(bundled.code).toBe(0);
      expect(bundled.stdout).toBe(stored);
    }
  });

  it('renders help with arguments live (a command’s own help is not pre-rendered)', async () => {
    const r = await runCli(SENZA, ['print', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: senza print');
    expect(r.stdout).not.toBe(readFileSync(join(BUNDLE_DIR, 'help.txt'), 'utf8'));
  });

  it('keeps each command lazy: the entry chunk does not contain the commands or the engine', () => {
    const entry = readFileSync(SENZA, 'utf8');
    expect(entry).not.toMatch(/generateTemplate|AccountFacts|ListStacksCommand|@aws-sdk|EC2Client/);
    const chunks = readdirSync(BUNDLE_DIR).filter((f) => f.endsWith('.cjs'));
    expect(chunks.some((f) => f.startsWith('print-'))).toBe(true);
    expect(chunks.some((f) => f.startsWith('traffic-'))).toBe(true);
  });

  it('keeps only the SDK commands the engine imports (the ES builds, tree-shaken)', () => {
    const code = readdirSync(BUNDLE_DIR)
      .filter((f) => f.endsWith('.cjs'))
      .map((f) => readFileSync(join(BUNDLE_DIR, f), 'utf8'))
      .join('\n');
    expect(code).toContain('DescribeImagesCommand');
    expect(code).not.toContain('AcceptAddressTransferCommand'); // an EC2 command senza never calls
    expect(code).not.toMatch(/require\("@aws-sdk\//); // nothing of the SDK is loaded from outside
  });

  it('keeps a V8 code cache of the chunks it loads, accepted on the next run', async () => {
    const home = mkdtempSync(join(tmpdir(), 'senza-bundle-cache-'));
    try {
      const definition = join(home, 'queue.yaml');
      writeFileSync(definition, 'SenzaInfo: {StackName: queue}\nResources: {Q: {Type: AWS::SQS::Queue}}\n');
      const args = ['print', definition, '1', '--region', 'eu-central-1'];
      const first = await runCli(SENZA, args, { XDG_CACHE_HOME: home });
      expect(first.code, first.stderr).toBe(0);
      const dir = join(home, 'stups-ts', `v8-${process.version}`);
      // Every cache file with its modification time, however deep: Node 22+'s built-in cache keeps its
      // entries in a subdirectory of its own, our Node 20 cache directly in the directory.
      const cacheFiles = () =>
        readdirSync(dir, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => join(e.parentPath, e.name))
          .map((p) => `${relative(dir, p)} ${statSync(p).mtimeMs}`)
          .sort();
      const files = cacheFiles();
      expect(files.length).toBeGreaterThan(3);
      const second = await runCli(SENZA, args, { XDG_CACHE_HOME: home });
      expect(second.stdout).toBe(first.stdout);
      expect(cacheFiles()).toEqual(files); // nothing rewritten: every cache was accepted
      const off = await runCli(SENZA, args, { XDG_CACHE_HOME: join(home, 'off'), STUPS_NO_COMPILE_CACHE: '1' });
      expect(off.stdout).toBe(first.stdout);
      expect(readdirSync(home)).not.toContain('off');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
    expect(entry).not.toMatch(/generateTemplate|AccountFacts|ListStacksCommand/);
    const chunks = readdirSync(BUNDLE_DIR).filter((f) => f.endsWith('.js'));
    expect(chunks.some((f) => f.startsWith('print-'))).toBe(true);
    expect(chunks.some((f) => f.startsWith('traffic-'))).toBe(true);
  });
});

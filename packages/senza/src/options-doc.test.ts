import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commanderCommand } from '@stups/cli-kit';
import { renderOptionsDoc } from '@stups/cli-kit/docs';
import { describe, expect, it } from 'vitest';
import { COMMANDS, SENZA } from './main.js';

describe('docs/senza-options.md', () => {
  it('is generated from the option declarations and fresh (pnpm run docs)', () => {
    const page = readFileSync(fileURLToPath(new URL('../../../docs/senza-options.md', import.meta.url)), 'utf8');
    expect(page).toBe(renderOptionsDoc(SENZA, 'scripts/generate-docs.mjs'));
  });

  it('names every flag that --help shows, for every command', async () => {
    const { Command } = await import('commander');
    const page = readFileSync(fileURLToPath(new URL('../../../docs/senza-options.md', import.meta.url)), 'utf8');
    for (const spec of COMMANDS) {
      const cmd = commanderCommand(new Command('senza'), spec);
      for (const o of cmd.options) expect(page, `${spec.name} ${o.flags}`).toContain(`| \`${o.flags}\` |`);
    }
  });
});

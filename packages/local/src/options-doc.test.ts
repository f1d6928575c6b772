import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commanderCommand } from '@stups/cli-kit';
import { renderOptionsDoc } from '@stups/cli-kit/docs';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, STUPS_LOCAL } from './cli/main.js';

const page = () =>
  readFileSync(fileURLToPath(new URL('../../../docs/stups-local-options.md', import.meta.url)), 'utf8');

describe('docs/stups-local-options.md', () => {
  it('is generated from the option declarations and fresh (pnpm run docs)', () => {
    expect(page()).toBe(renderOptionsDoc(STUPS_LOCAL, 'scripts/generate-docs.mjs'));
  });

  it('names every flag that --help shows, for every command', () => {
    for (const spec of COMMANDS) {
      const cmd = commanderCommand(new Command('stups-local'), spec);
      for (const o of cmd.options) expect(page(), `${spec.name} ${o.flags}`).toContain(`| \`${o.flags}\` |`);
    }
  });
});

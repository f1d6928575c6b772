import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMessagesDoc } from '@stups/cli-kit/docs';
import { describe, expect, it } from 'vitest';
import { senzaMessageSections } from './senza-cli-messages.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.startsWith('test-')
        ? [join(dir, e.name)]
        : [],
  );
}

/** Every `code: '…'` literal in the engine, the kit and senza: messages emitted and typed errors raised. */
function emittedCodes(): Map<string, string> {
  const found = new Map<string, string>();
  for (const pkg of ['core', 'cli-kit', 'senza']) {
    for (const file of sources(join(ROOT, 'packages', pkg, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bcode: '([^']+)'/g))
        found.set(m[1], file.slice(ROOT.length));
    }
  }
  return found;
}

describe('message codes', () => {
  it('every code emitted or raised in the source is registered in a catalog', async () => {
    const registered = new Set((await senzaMessageSections()).flatMap((s) => Object.keys(s.catalog)));
    const missing = [...emittedCodes()].filter(([code]) => !registered.has(code)).map(([c, f]) => `${c} (${f})`);
    expect(missing).toEqual([]);
    expect(emittedCodes().size).toBeGreaterThan(100);
  });

  it('no code is registered twice', async () => {
    const all = (await senzaMessageSections()).flatMap((s) => Object.keys(s.catalog));
    expect(all.filter((c, i) => all.indexOf(c) !== i)).toEqual([]);
  });

  it('docs/messages.md is generated from the catalogs and fresh (pnpm docs)', async () => {
    const expected = renderMessagesDoc('senza', await senzaMessageSections(), 'scripts/generate-docs.mjs');
    expect(readFileSync(join(ROOT, 'docs/messages.md'), 'utf8')).toBe(expected);
  });
});

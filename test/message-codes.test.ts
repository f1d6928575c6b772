import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMessagesDoc } from '@stups/cli-kit/docs';
import { describe, expect, it } from 'vitest';
import { LOCAL_CATALOGS } from '../packages/local/src/local-messages.js';
import { senzaMessageSections } from '../packages/senza/src/senza-cli-messages.js';
import { ROOT } from './support/run-cli.js';

/** The catalogs of docs/messages.md: senza's (the engine, the kit, its CLI), then stups-local's. */
async function sections() {
  return [...(await senzaMessageSections()), ...LOCAL_CATALOGS];
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.startsWith('test-')
        ? [join(dir, e.name)]
        : [],
  );
}

/** Every `code: '…'` literal in a package's source: messages emitted and typed errors raised. */
function emittedCodes(pkg: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sources(join(ROOT, 'packages', pkg, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\bcode: '([^']+)'/g)) found.set(m[1], file.slice(ROOT.length));
  }
  return found;
}

describe('message codes', () => {
  it.each(['core', 'cli-kit', 'senza', 'local'])(
    'every code emitted or raised in packages/%s is registered in a catalog',
    async (pkg) => {
      const registered = new Set((await sections()).flatMap((s) => Object.keys(s.catalog)));
      const codes = emittedCodes(pkg);
      const missing = [...codes].filter(([code]) => !registered.has(code)).map(([c, f]) => `${c} (${f})`);
      expect(missing).toEqual([]);
      expect(codes.size).toBeGreaterThan(pkg === 'cli-kit' ? 2 : 20);
    },
  );

  it('no code is registered twice', async () => {
    const all = (await sections()).flatMap((s) => Object.keys(s.catalog));
    expect(all.filter((c, i) => all.indexOf(c) !== i)).toEqual([]);
  });

  it('docs/messages.md is generated from the catalogs and fresh (pnpm docs)', async () => {
    const expected = renderMessagesDoc('senza and stups-local', await sections(), 'scripts/generate-docs.mjs');
    expect(readFileSync(join(ROOT, 'docs/messages.md'), 'utf8')).toBe(expected);
  });
});

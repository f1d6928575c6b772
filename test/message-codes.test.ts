import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMessagesDoc } from '@stups/cli-kit/docs';
import { describe, expect, it } from 'vitest';
import { LOCAL_CATALOGS } from '../packages/local/src/local-messages.js';
import { PIERONE_CLI_MESSAGES } from '../packages/pierone/src/pierone-cli-messages.js';
import { PIU_CLI_MESSAGES } from '../packages/piu/src/piu-cli-messages.js';
import { senzaMessageSections } from '../packages/senza/src/senza-cli-messages.js';
import { ZIGN_MESSAGES } from '../packages/zign/src/zign-messages.js';
import { ROOT } from './support/run-cli.js';

const TITLE = 'senza, zign, pierone, piu and stups-local';

/** The catalogs of docs/messages.md: senza's (the engine, the kit, its CLI), the other CLIs', stups-local's. */
async function sections() {
  return [
    ...(await senzaMessageSections()),
    { area: 'zign CLI', catalog: ZIGN_MESSAGES },
    { area: 'pierone CLI', catalog: PIERONE_CLI_MESSAGES },
    { area: 'piu CLI', catalog: PIU_CLI_MESSAGES },
    ...LOCAL_CATALOGS,
  ];
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

/**
 * Every `code: '…'` literal in a package's source: messages emitted and typed errors raised. Codes are
 * lower-case (a test below holds every registered one to that), so a capitalised value is something else,
 * such as a table's column title (`titles: { code: 'Check' }`).
 */
function emittedCodes(pkg: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sources(join(ROOT, 'packages', pkg, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\bcode: '([^'A-Z][^']*)'/g))
      found.set(m[1], file.slice(ROOT.length));
  }
  return found;
}

/**
 * How many codes a package emits at least: a floor that catches a scanner that finds nothing (piu's
 * request and list workflows, with their codes, are core actions now).
 */
const AT_LEAST: Record<string, number> = { core: 20, 'cli-kit': 2, senza: 20, local: 20, zign: 2, pierone: 5, piu: 5 };

describe('message codes', () => {
  it.each(Object.keys(AT_LEAST))(
    'every code emitted or raised in packages/%s is registered in a catalog',
    async (pkg) => {
      const registered = new Set((await sections()).flatMap((s) => Object.keys(s.catalog)));
      const codes = emittedCodes(pkg);
      const missing = [...codes].filter(([code]) => !registered.has(code)).map(([c, f]) => `${c} (${f})`);
      expect(missing).toEqual([]);
      expect(codes.size).toBeGreaterThan(AT_LEAST[pkg] as number);
    },
  );

  it('every registered code is lower-case, dotted or kebab-case', async () => {
    const all = (await sections()).flatMap((s) => Object.keys(s.catalog));
    expect(all.filter((c) => !/^[a-z][a-z0-9.-]*$/.test(c))).toEqual([]);
  });

  it('no code is registered twice', async () => {
    const all = (await sections()).flatMap((s) => Object.keys(s.catalog));
    expect(all.filter((c, i) => all.indexOf(c) !== i)).toEqual([]);
  });

  it('docs/messages.md is generated from the catalogs and fresh (pnpm run docs)', async () => {
    const expected = renderMessagesDoc(TITLE, await sections(), 'scripts/generate-docs.mjs');
    expect(readFileSync(join(ROOT, 'docs/messages.md'), 'utf8')).toBe(expected);
  });
});

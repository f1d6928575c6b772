import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMessagesDoc } from '@stups/cli-kit/docs';
import type { MessageCatalog } from '@stups/core';
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

/** A string literal shaped like a message code: lower-case words joined by dots. */
const CODE_LIKE = /'([a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+)'/g;
/** Code-shaped literals that are file names, not codes. */
const FILE_NAME = /\.(json|ya?ml|md|ts|js|mjs|py|txt|log|lock|pem|key)$/;

/**
 * Every code a package's source names, however it is passed: `code: '…'` of messages and typed errors,
 * a code handed to a helper as an argument (`step('senza.respawn-suspend', …)`) or kept in a constant.
 * A literal counts when its first word is the first word of some registered code (`senza`, `definition`,
 * `cli`, …), so a code of a new area is caught as soon as one of its codes is registered. Codes are
 * lower-case (a test below holds every registered one to that), so a capitalised value is something else.
 */
function emittedCodes(pkg: string, areas: Set<string>): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sources(join(ROOT, 'packages', pkg, 'src'))) {
    if (file.endsWith('.generated.ts')) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(CODE_LIKE)) {
      const code = m[1] as string;
      if (areas.has(code.split('.')[0] as string) && !FILE_NAME.test(code)) found.set(code, file.slice(ROOT.length));
    }
  }
  return found;
}

/** The exported catalogs of every `*-messages.ts` module (and the other modules that declare one). */
async function declaredCatalogs(): Promise<{ file: string; name: string; catalog: MessageCatalog }[]> {
  const files = readdirSync(join(ROOT, 'packages')).flatMap((pkg) =>
    sources(join(ROOT, 'packages', pkg, 'src')).filter((f) =>
      /\bMessageCatalog\b|_MESSAGES = \{/.test(readFileSync(f, 'utf8')),
    ),
  );
  const out: { file: string; name: string; catalog: MessageCatalog }[] = [];
  for (const file of files) {
    for (const [name, value] of Object.entries(await import(file))) {
      if (!/_MESSAGES$/.test(name) || typeof value !== 'object' || value === null) continue;
      out.push({ file: file.slice(ROOT.length), name, catalog: value as MessageCatalog });
    }
  }
  return out;
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
      const codes = emittedCodes(pkg, new Set([...registered].map((c) => c.split('.')[0] as string)));
      const missing = [...codes].filter(([code]) => !registered.has(code)).map(([c, f]) => `${c} (${f})`);
      expect(missing).toEqual([]);
      expect(codes.size).toBeGreaterThan(AT_LEAST[pkg] as number);
    },
  );

  it('every code the engine emits is registered in an engine catalog, not in a CLI one', async () => {
    const { ENGINE_CATALOGS } = await import('@stups/core/messages');
    const registered = new Set((await sections()).flatMap((s) => Object.keys(s.catalog)));
    const engine = new Set(ENGINE_CATALOGS.flatMap((s) => Object.keys(s.catalog)));
    const codes = emittedCodes('core', new Set([...registered].map((c) => c.split('.')[0] as string)));
    expect([...codes].filter(([code]) => !engine.has(code)).map(([c, f]) => `${c} (${f})`)).toEqual([]);
  });

  it('every registered code is AREA.NAME: one lower-case word, a dot, lower-case words joined by hyphens', async () => {
    const all = (await sections()).flatMap((s) => Object.keys(s.catalog));
    expect(all.filter((c) => !/^[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*$/.test(c))).toEqual([]);
  });

  it('every registered code is emitted somewhere: no catalog entry that nothing writes', async () => {
    const texts = readdirSync(join(ROOT, 'packages')).flatMap((pkg) =>
      sources(join(ROOT, 'packages', pkg, 'src')).map((f) => readFileSync(f, 'utf8')),
    );
    const literals = new Map<string, number>();
    const prefixes: string[] = [];
    for (const text of texts) {
      for (const m of text.matchAll(CODE_LIKE)) literals.set(m[1] as string, (literals.get(m[1] as string) ?? 0) + 1);
      // A code built from a typed part: `senza.rollout-${event}` (the part's type is the catalog's keys).
      for (const m of text.matchAll(/`([a-z]+\.[a-z0-9-]*)\$\{/g)) prefixes.push(m[1] as string);
    }
    const all = (await sections()).flatMap((s) => Object.keys(s.catalog));
    // The catalog's own key is one literal; an emitter writes it again (or builds it from a typed part).
    const dead = all.filter((c) => (literals.get(c) ?? 0) < 2 && !prefixes.some((p) => c.startsWith(p)));
    expect(dead).toEqual([]);
  });

  it('no code is registered twice', async () => {
    const all = (await sections()).flatMap((s) => Object.keys(s.catalog));
    expect(all.filter((c, i) => all.indexOf(c) !== i)).toEqual([]);
  });

  it('every declared catalog is one of the documented ones: no dead or second definition of a code', async () => {
    const documented = new Map((await sections()).flatMap((s) => Object.entries(s.catalog)));
    const stray = (await declaredCatalogs()).flatMap(({ file, name, catalog }) =>
      Object.entries(catalog)
        .filter(([code, definition]) => JSON.stringify(documented.get(code)) !== JSON.stringify(definition))
        .map(([code]) => `${code} (${name} in ${file})`),
    );
    expect(stray).toEqual([]);
  });

  it('docs/messages.md is generated from the catalogs and fresh (pnpm run docs)', async () => {
    const expected = renderMessagesDoc(TITLE, await sections(), 'scripts/generate-docs.mjs');
    expect(readFileSync(join(ROOT, 'docs/messages.md'), 'utf8')).toBe(expected);
  });
});

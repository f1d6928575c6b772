import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const json = (path: string) => JSON.parse(readFileSync(`${ROOT}/${path}`, 'utf8'));

interface Pattern {
  group: string[];
}
interface Override {
  includes: string[];
  linter?: { rules?: { style?: { noRestrictedImports?: { options: { patterns: Pattern[] } } } } };
}

/** The entry points that biome.json's deep-import rule lets the CLI packages use, per override. */
function allowedByLint(): string[][] {
  const overrides: Override[] = json('biome.json').overrides;
  return overrides.flatMap((o) =>
    (o.linter?.rules?.style?.noRestrictedImports?.options.patterns ?? [])
      .filter((p) => p.group.includes('@stups/core/**'))
      .map((p) => p.group.filter((g) => g.startsWith('!@stups/core/')).map((g) => g.slice(1))),
  );
}

describe("core's public surface", () => {
  it('every entry point in packages/core/package.json is allowed by the lint rule against deep imports', () => {
    const declared = Object.keys(json('packages/core/package.json').exports)
      .filter((k) => k !== '.')
      .map((k) => `@stups/core/${k.slice(2)}`);
    const rules = allowedByLint();
    expect(rules.length).toBeGreaterThan(0);
    for (const allowed of rules) expect(allowed).toEqual(expect.arrayContaining(declared));
  });

  it('declares no wildcard entry point (internals stay internal)', () => {
    const keys = Object.keys(json('packages/core/package.json').exports);
    expect(keys.filter((k) => k.includes('*'))).toEqual([]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AUTH_MESSAGES } from '@stups/core/auth';
import { HTTP_MESSAGES } from '@stups/core/http';
import { describe, expect, it } from 'vitest';
import { ZIGN_MESSAGES } from './zign-messages.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const AREAS = ['packages/core/src/auth', 'packages/core/src/http', 'packages/zign/src'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

describe('zign message codes', () => {
  it('every code the token engine, the gateway and zign emit or raise is registered', () => {
    const registered = new Set([
      ...Object.keys(AUTH_MESSAGES),
      ...Object.keys(HTTP_MESSAGES),
      ...Object.keys(ZIGN_MESSAGES),
    ]);
    const found = AREAS.flatMap((area) => sources(join(ROOT, area))).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/'((?:auth|http|zign)\.[a-z.-]+)'/g)].map((m) => m[1] as string),
    );
    expect(found.length).toBeGreaterThan(30);
    expect([...new Set(found)].filter((c) => !registered.has(c))).toEqual([]);
  });
});

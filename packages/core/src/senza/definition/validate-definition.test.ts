import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('the precompiled definition validator', () => {
  it('is generated from the current schema', () => {
    const script = fileURLToPath(new URL('../../../scripts/generate-validator.mjs', import.meta.url));
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});

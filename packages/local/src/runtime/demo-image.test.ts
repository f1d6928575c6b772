import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isStaticElf, STATIC_BUSYBOX } from './demo-image.js';

describe('the demo image needs a static busybox', () => {
  it('tells a dynamically linked program (this node) from a static one', () => {
    expect(isStaticElf(process.execPath)).toBe(false);
    expect(isStaticElf(new URL(import.meta.url).pathname)).toBe(false);
  });
  it('finds no program interpreter in busybox-static', () => {
    // The prerequisites step of `pnpm test` installs busybox-static: its absence fails, never skips.
    expect(existsSync(STATIC_BUSYBOX), `${STATIC_BUSYBOX} (Debian package busybox-static)`).toBe(true);
    expect(isStaticElf(STATIC_BUSYBOX)).toBe(true);
  });
});

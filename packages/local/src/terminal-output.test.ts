import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('.', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

describe('stups-local writes to the terminal only through the CLI host', () => {
  it('no module but the daemon (whose stdout and stderr are platform.log) touches the streams or the console', () => {
    const offenders = sources(SRC)
      .filter((f) => !f.endsWith(join('platform', 'platform-daemon.ts')))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ f, i, line }))
          .filter(({ line }) =>
            /process\.(stdout|stderr)|\bconsole\.(log|error|warn|info|debug)\(|\.(stdout|stderr)\.write\(/.test(line),
          )
          .map(({ f, i, line }) => `${f.slice(SRC.length)}:${i + 1}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});

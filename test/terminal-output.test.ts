import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/run-cli.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

const STREAM_WRITE = /process\.(stdout|stderr)|\bconsole\.(log|error|warn|info|debug)\(|\.(stdout|stderr)\.write\(/;

/** Each CLI on the kit, and the one module allowed to write to the streams itself (and why). */
const TOOLS = [
  { tool: 'senza', pkg: 'senza', exempt: 'bin.ts', why: 'bin.ts (the parser-free --version)' },
  {
    tool: 'stups-local',
    pkg: 'local',
    exempt: join('daemon', 'platform-daemon.ts'),
    why: 'the daemon (whose stdout and stderr are platform.log)',
  },
];

describe.each(TOOLS)('$tool writes to the terminal only through the CLI host', ({ pkg, exempt, why }) => {
  it(`no module but ${why} touches the streams or the console`, () => {
    const src = join(ROOT, 'packages', pkg, 'src');
    const offenders = sources(src)
      .filter((f) => !f.endsWith(exempt))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ f, i, line }))
          .filter(({ line }) => STREAM_WRITE.test(line))
          .map(({ f, i, line }) => `${f.slice(src.length + 1)}:${i + 1}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});

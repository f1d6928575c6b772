import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DEMO_HEALTH_PATH, demoPage, isStaticElf, STATIC_BUSYBOX, writeDemoContext } from './demo-image.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The image's web root served as its CMD serves it (busybox httpd), here on the host: status and body of
 * `path`. The port is free when chosen but not held; should something take it before httpd binds, httpd
 * exits and is started again on another one.
 */
async function serve(options: { version: string; pageWorks?: boolean }, paths: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'demo-image-test-'));
  writeDemoContext(dir, options);
  let httpd: ChildProcess | undefined;
  try {
    const out: { status: number; body: string }[] = [];
    let port = 0;
    let exited = true;
    for (const path of paths) {
      for (let i = 0; ; i++) {
        if (exited) {
          port = await freePort();
          exited = false;
          httpd = spawn(STATIC_BUSYBOX, ['httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', join(dir, 'www')], {
            stdio: 'ignore',
          });
          httpd.once('exit', () => {
            exited = true;
          });
        }
        try {
          const r = await fetch(`http://127.0.0.1:${port}${path}`);
          out.push({ status: r.status, body: await r.text() });
          break;
        } catch (e) {
          if (i > 50) throw e;
          await sleep(100);
        }
      }
    }
    return out;
  } finally {
    httpd?.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the demo image serves its version', () => {
  it('a working version: the page names it, the health check passes', async () => {
    expect(await serve({ version: '2' }, ['/', DEMO_HEALTH_PATH])).toEqual([
      { status: 200, body: demoPage('2') },
      { status: 200, body: 'ok\n' },
    ]);
  });
  it('a broken version (pageWorks false): the page answers 500, still naming it, while the health check passes', async () => {
    expect(await serve({ version: '3', pageWorks: false }, ['/', DEMO_HEALTH_PATH])).toEqual([
      { status: 500, body: demoPage('3') },
      { status: 200, body: 'ok\n' },
    ]);
  });
});

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

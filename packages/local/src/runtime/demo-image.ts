import { spawn } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The hello-world image of the demo and the runtime's end-to-end test, built offline (nothing can be
 * pulled here): `FROM scratch` with Debian's static busybox, whose `httpd` serves a page naming the
 * version on port 8080 and a health check at a CGI, so that a variant can answer 500 there.
 */

/** Where Debian's `busybox-static` installs the static binary (the `busybox` package's one is dynamic). */
export const STATIC_BUSYBOX = '/bin/busybox';

/** The container port httpd listens on (the definition's `ports` and the load balancer's `HTTPPort`). */
export const DEMO_PORT = 8080;

/** The health check path of examples/hello-world-local.yaml: a CGI, so it can answer 500. */
export const DEMO_HEALTH_PATH = '/cgi-bin/health';

/** The page `/` answers: it names the version, so a client sees which version served it. */
export function demoPage(version: string): string {
  return `hello-world version ${version}\n`;
}

export interface DemoImageOptions {
  /** The tag to build, e.g. `127.0.0.1:5000/myteam/hello-world:1`. */
  ref: string;
  /** What the page says: `hello-world version <version>`. */
  version: string;
  /** When false, the health check answers `500 Internal Server Error` (default true: `200 OK`). */
  healthy?: boolean;
  /**
   * When false, the page `/` answers `500 Internal Server Error` (still naming the version) while the
   * health check passes: a broken version that only its traffic reveals (default true: `200 OK`).
   */
  pageWorks?: boolean;
  /**
   * When set, the application exits with this code right after starting (a faulty version: a diagnosis
   * test's crash loop, or an exit that is not restarted for 0), instead of serving.
   */
  exitCode?: number;
  /** The Docker engine (`DOCKER_HOST`); default this process's environment. */
  dockerHost?: string;
  /** The environment the `docker` client runs with (DOCKER_CONFIG and the like); default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Why the image cannot be built here, or undefined when it can (the engine is checked by `docker build`). */
export function demoImageUnavailable(): string | undefined {
  if (!existsSync(STATIC_BUSYBOX)) return `${STATIC_BUSYBOX} is missing (Debian package busybox-static)`;
  if (!isStaticElf(STATIC_BUSYBOX))
    return `${STATIC_BUSYBOX} is linked dynamically: an image FROM scratch needs busybox-static, not busybox`;
  return undefined;
}

/** A 64-bit ELF without a program interpreter (PT_INTERP) runs with no libraries: statically linked. */
export function isStaticElf(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(64);
    readSync(fd, head, 0, 64, 0);
    if (head.readUInt32BE(0) !== 0x7f454c46 || head[4] !== 2 || head[5] !== 1) return false;
    const phoff = Number(head.readBigUInt64LE(0x20));
    const phentsize = head.readUInt16LE(0x36);
    const phnum = head.readUInt16LE(0x38);
    const table = Buffer.alloc(phentsize * phnum);
    readSync(fd, table, 0, table.length, phoff);
    const PT_INTERP = 3;
    for (let i = 0; i < phnum; i++) if (table.readUInt32LE(i * phentsize) === PT_INTERP) return false;
    return true;
  } finally {
    closeSync(fd);
  }
}

function healthScript(healthy: boolean): string {
  const status = healthy ? '200 OK' : '500 Internal Server Error';
  // busybox httpd turns a CGI's `Status:` line into the status line of its answer.
  return `#!/bin/busybox sh\nprintf 'Status: ${status}\\r\\nContent-Type: text/plain\\r\\n\\r\\n${healthy ? 'ok' : 'unhealthy'}\\n'\n`;
}

/** The page as a CGI answering 500: busybox httpd runs `cgi-bin/index.cgi` for `/` without an index.html. */
function brokenPageScript(version: string): string {
  return `#!/bin/busybox sh\nprintf 'Status: 500 Internal Server Error\\r\\nContent-Type: text/plain\\r\\n\\r\\n${demoPage(version).trim()}\\n'\n`;
}

function dockerfile(version: string, exitCode?: number): string {
  // `-v` logs every request to stderr: what GetConsoleOutput (`senza console`) shows.
  const start =
    exitCode === undefined
      ? `echo "hello-world version ${version} listening on :${DEMO_PORT}"; exec /bin/busybox httpd -f -v -p ${DEMO_PORT} -h /www`
      : `echo "hello-world version ${version} starting"; echo "cannot read /etc/hello-world.yaml: no such file"; exit ${exitCode}`;
  return [
    'FROM scratch',
    'COPY busybox /bin/busybox',
    'COPY www /www',
    `EXPOSE ${DEMO_PORT}`,
    `CMD ["/bin/busybox", "sh", "-c", ${JSON.stringify(start)}]`,
    '',
  ].join('\n');
}

/** Runs `docker` with the classic builder (BuildKit needs images from the internet); rejects with its output. */
export function runDockerCli(
  args: string[],
  options: { dockerHost?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), DOCKER_BUILDKIT: '0' };
  if (options.dockerHost) env.DOCKER_HOST = options.dockerHost;
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`docker ${args.join(' ')} exited ${code}: ${(err || out).trim().slice(-2000)}`));
    });
  });
}

/**
 * The build context of the image into `context`: busybox, the web root `www/` (what httpd serves with
 * `-h /www`) and the Dockerfile.
 */
export function writeDemoContext(context: string, options: Omit<DemoImageOptions, 'ref'>): void {
  mkdirSync(join(context, 'www', 'cgi-bin'), { recursive: true });
  copyFileSync(STATIC_BUSYBOX, join(context, 'busybox'));
  if (options.pageWorks === false)
    writeFileSync(join(context, 'www', 'cgi-bin', 'index.cgi'), brokenPageScript(options.version), { mode: 0o755 });
  else writeFileSync(join(context, 'www', 'index.html'), demoPage(options.version));
  writeFileSync(join(context, 'www', 'cgi-bin', 'health'), healthScript(options.healthy ?? true), { mode: 0o755 });
  writeFileSync(join(context, 'Dockerfile'), dockerfile(options.version, options.exitCode));
}

/** Builds the hello-world image in the engine, offline; resolves with its image id. */
export async function buildDemoImage(options: DemoImageOptions): Promise<string> {
  const why = demoImageUnavailable();
  if (why) throw new Error(`Cannot build the demo image: ${why}`);
  const context = mkdtempSync(join(tmpdir(), 'stups-demo-image-'));
  try {
    writeDemoContext(context, options);
    const id = await runDockerCli(['build', '-q', '-t', options.ref, context], options);
    return id.trim();
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

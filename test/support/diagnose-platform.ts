import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildDemoImage, CI_CLIENT, privateDockerdPaths, runDockerCli } from '@stups/local';
import { expect } from 'vitest';
import { pieroneUserEnv } from './pierone-user.js';
import { ROOT, runCli } from './run-cli.js';
import { requireRuntime } from './runtime-peers.js';

/**
 * The platform of the `senza diagnose` suites (one per test file): stups-local with a runtime of its own
 * (a private dockerd), the CI client's credentials for zign, and demo images of hello-world built in that
 * dockerd and pushed to the local Pier One. Stopped by `down`, which removes its directory.
 */
export const STUPS_LOCAL = `${ROOT}packages/local/dist/cli.js`;
export const PIERONE = `${ROOT}packages/pierone/dist/bin.js`;
/** The definition the suites create versions of (its image is `<registry>/myteam/hello-world:<version>`). */
export const DEFINITION = 'examples/hello-world-local.yaml';

/** A demo image version: how it behaves, and whether it stays in the engine after the push. */
export interface DemoImage {
  version: string;
  /** Exits at start with this code (the demo otherwise serves). */
  exitCode?: number;
  /** `false`: serves, but its health check answers 500. */
  healthy?: boolean;
  /** Kept in the dockerd after the push, so that no pull (and no token) is needed for it. */
  keepLocal?: boolean;
}

export interface DiagnosePlatform {
  /** A directory for the suite's files (definitions), removed by `down`. */
  work: string;
  stateDir: string;
  /** What the CLIs run with: the platform's exports, the Pier One user, the CI client for zign. */
  env: NodeJS.ProcessEnv;
  /** Pier One's host:port. */
  registry: string;
  /** The private dockerd the runtime runs the stacks in. */
  dockerHost: string;
  down(): Promise<void>;
}

/** `<registry>/myteam/hello-world:<version>`. */
export const demoImageRef = (registry: string, version: string) => `${registry}/myteam/hello-world:${version}`;

/**
 * Starts the platform (`platformEnv`: the runtime's knobs, e.g. STUPS_LOCAL_SIGNAL_TIMEOUT) in a new
 * directory under /tmp named by `prefix` (short: the dockerd's socket path has a length limit), builds
 * and pushes `images`.
 */
export async function startDiagnosePlatform(
  prefix: string,
  platformEnv: Record<string, string>,
  images: DemoImage[],
): Promise<DiagnosePlatform> {
  requireRuntime();
  const work = mkdtempSync(`/tmp/${prefix}-`);
  const stateDir = join(work, 's');
  const base = { ...pieroneUserEnv(work), NODE_NO_WARNINGS: '1' };
  const platform: DiagnosePlatform = {
    work,
    stateDir,
    env: base,
    registry: '',
    dockerHost: '',
    async down() {
      await runCli(STUPS_LOCAL, ['down', '--state-dir', stateDir], platform.env);
      rmSync(work, { recursive: true, force: true });
    },
  };
  try {
    const r = await runCli(STUPS_LOCAL, ['up', '--state-dir', stateDir, '--runtime', 'private'], {
      ...base,
      STUPS_LOCAL_HEALTH_INTERVAL: '1',
      ...platformEnv,
    });
    expect(r.code, r.stderr).toBe(0);
    const exported = Object.fromEntries([...r.stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    const env = {
      ...base,
      ...exported,
      ZIGN_CLIENT_ID: CI_CLIENT.client_id,
      ZIGN_CLIENT_SECRET: CI_CLIENT.client_secret,
    };
    const registry = (exported.PIERONE_URL as string).replace(/^http:\/\//, '');
    const dockerHost = `unix://${privateDockerdPaths(stateDir).socket}`;
    Object.assign(platform, { env, registry, dockerHost });
    const ref = (v: string) => demoImageRef(registry, v);
    for (const i of images) {
      await buildDemoImage({
        ref: ref(i.version),
        version: i.version,
        ...(i.exitCode !== undefined ? { exitCode: i.exitCode } : {}),
        ...(i.healthy !== undefined ? { healthy: i.healthy } : {}),
        dockerHost,
        env,
      });
    }
    const login = await runCli(PIERONE, ['login'], env);
    expect(login.code, login.stderr).toBe(0);
    for (const i of images) await runDockerCli(['push', ref(i.version)], { dockerHost, env });
    const pulled = images.filter((i) => !i.keepLocal).map((i) => ref(i.version));
    if (pulled.length > 0) await runDockerCli(['rmi', ...pulled], { dockerHost, env });
  } catch (e) {
    // A platform half started is stopped all the same (its processes, its directory).
    await platform.down();
    throw e;
  }
  return platform;
}

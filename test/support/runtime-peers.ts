import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { demoImageUnavailable } from '@stups/local';

/** Why the Docker runtime cannot run here (a peer is missing), or undefined when it can. */
export function runtimeUnavailable(): string | undefined {
  const has = (name: string) =>
    (process.env.PATH ?? '').split(':').some((d) => existsSync(join(d, name))) || existsSync(`/usr/sbin/${name}`);
  if (!has('dockerd')) return 'dockerd is not installed (Debian package docker.io)';
  if (!has('docker')) return 'the docker client is not installed (Debian package docker.io)';
  if (!has('socat')) return 'socat is not installed (the forwarders)';
  if (!has('nsenter')) return 'nsenter is not installed (util-linux)';
  if (process.getuid?.() !== 0) return 'a private dockerd needs root here';
  return demoImageUnavailable();
}

/**
 * For a suite's beforeAll: a missing peer fails the suite, it never skips it. The prerequisites step of
 * `pnpm test` (scripts/prerequisites.mjs) installs the peers or says how.
 */
export function requireRuntime(): void {
  const why = runtimeUnavailable();
  if (why)
    throw new Error(
      `${why}; not here: run the tests with "pnpm test", whose prerequisites step (scripts/prerequisites.mjs) installs it or says how`,
    );
}

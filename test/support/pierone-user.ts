import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './run-cli.js';

export const CREDENTIAL_HELPER = `${ROOT}packages/pierone/dist/docker-credential-pierone.cjs`;

/**
 * A user of their own under `work`: home, config, runtime and Docker config directories, and the built
 * `docker-credential-pierone` on PATH, as Docker and skopeo look it up.
 */
export function pieroneUserEnv(work: string): Record<string, string> {
  const bin = join(work, 'bin');
  mkdirSync(bin, { recursive: true });
  const helper = join(bin, 'docker-credential-pierone');
  writeFileSync(helper, `#!/bin/sh\nexec "${process.execPath}" "${CREDENTIAL_HELPER}" "$@"\n`);
  chmodSync(helper, 0o755);
  return {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: join(work, 'home'),
    XDG_CONFIG_HOME: join(work, 'config'),
    XDG_RUNTIME_DIR: join(work, 'run'),
    DOCKER_CONFIG: join(work, 'docker'),
  };
}

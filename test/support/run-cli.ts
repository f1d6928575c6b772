import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The shipped senza: the bundle that `pnpm run build` makes (packages/senza/scripts/bundle.mjs). */
export const SENZA = `${ROOT}packages/senza/dist/bundle/senza.cjs`;
/** The tsc output the bundle is made from (what vitest's in-process tests import). */
export const SENZA_UNBUNDLED = `${ROOT}packages/senza/dist/bin.js`;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a built CLI as a user does: a separate node process, its own environment, no TTY. */
export function runCli(bin: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_NO_WARNINGS: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The environment that points the AWS SDK at a local endpoint with dummy credentials. */
export function localAwsEnv(endpoint: string, region = 'eu-central-1'): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  };
}

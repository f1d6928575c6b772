import { type ChildProcess, type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
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

export interface RunOptions {
  /** The program's whole environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  input?: string;
  /** Sees the child as soon as it is spawned (to kill it midway). */
  onSpawn?: (child: ChildProcess) => void;
}

/** Runs a program to its end; resolves with its exit code (128 when a signal killed it) and its output. */
export function runProgram(cmd: string, args: string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const stdin = options.input === undefined ? 'ignore' : 'pipe';
    const child = spawn(cmd, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [stdin, 'pipe', 'pipe'],
    }) as ChildProcessByStdio<Writable | null, Readable, Readable>;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr }));
    if (child.stdin) {
      // A program that never reads its stdin (or is killed) makes this write fail with EPIPE: no matter.
      child.stdin.on('error', () => {});
      child.stdin.end(options.input);
    }
    options.onSpawn?.(child);
  });
}

/** Runs a built CLI as a user does: a separate node process, its own environment, no TTY. */
export function runCli(bin: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT): Promise<CliResult> {
  return runProgram(process.execPath, [bin, ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_NO_WARNINGS: '1', ...env },
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

// How the benches measure: a child process timed from spawn to exit, and the median of repeated runs.
import { spawn } from 'node:child_process';

/** The middle value (the mean of the two middle ones for an even count). */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Runs `cmd` to its end with `env` over this process's environment; resolves with its exit status, output
 * and wall-clock milliseconds. Asynchronous: the local platform may run in this very process and must keep
 * answering. `input` is written to stdin (otherwise stdin is /dev/null).
 */
export function timedRun(cmd, args, { env = {}, cwd, input } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
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
    child.on('close', (status) => resolve({ status, stdout, stderr, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    child.stdin?.end(input);
  });
}

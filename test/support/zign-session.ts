import { type ChildProcess, spawn } from 'node:child_process';
import { ROOT } from './run-cli.js';

export const ZIGN = `${ROOT}packages/zign/dist/zign.cjs`;
export const ZTOKEN = `${ROOT}packages/zign/dist/ztoken.cjs`;

/**
 * A `zign` run the test talks to while it runs (a sign-in): its stderr is watched for what the user
 * would read (the sign-in URL, the device code); the result comes when it exits.
 */
export class ZignSession {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number>;

  constructor(args: string[], env: NodeJS.ProcessEnv, bin = ZIGN, terminal = false) {
    const quote = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;
    const [command, argv] = terminal
      ? // util-linux `script` gives zign a terminal (a pty) for stdin, stdout and stderr, as a person has.
        ['script', ['-qfec', [process.execPath, bin, ...args].map(quote).join(' '), '/dev/null']]
      : [process.execPath, [bin, ...args]];
    this.child = spawn(command as string, argv as string[], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_NO_WARNINGS: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (d) => {
      this.stdout += d;
    });
    this.child.stderr?.on('data', (d) => {
      this.stderr += d;
    });
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code ?? -1)));
  }

  /** Runs zign in a terminal: stdout and stderr both arrive in `stdout`. */
  static inTerminal(args: string[], env: NodeJS.ProcessEnv): ZignSession {
    return new ZignSession(args, env, ZIGN, true);
  }

  /** Waits until stderr (or a terminal's output) matches, and gives the first group (or the whole match). */
  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = pattern.exec(this.stderr) ?? pattern.exec(this.stdout);
      if (m) return m[1] ?? m[0];
      if (this.child.exitCode !== null || Date.now() > deadline)
        throw new Error(`zign did not print ${pattern} (exit ${this.child.exitCode}); stderr:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
  }
}

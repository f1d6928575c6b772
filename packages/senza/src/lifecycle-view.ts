import { AbortedError, describeError, type IoHost, isStupsError, type Message, useColor } from '@stups/core';
import type { AwsSession } from '@stups/core/aws';
import type { StackEvent, StackOperation, WatchTarget } from '@stups/core/senza';
import type { CliContext } from './main.js';

/**
 * Renders the lifecycle commands' engine messages on stderr: the original's action lines
 * (`Creating Cloud Formation stack x.. OK`), inline dry-run/warning text, and the stack events of a
 * `--wait`: redrawn in place on a terminal, one appended line per event off a terminal or with CI.
 */
const YELLOW = '\u001b[1;33m';
const RED = '\u001b[1;31m';
const GREEN = '\u001b[1;32m';
const RESET = '\u001b[0m';

/** An error already shown on the action line; only its exit code is left to return. */
class ReportedError extends Error {
  constructor(readonly exitCode: number) {
    super('reported');
  }
}

export function liveProgress(cli: CliContext): boolean {
  return Boolean(cli.stderr.isTTY) && !cli.env.CI;
}

export class LifecycleView {
  readonly host: IoHost;
  private open = false;
  private warned = false;
  private readonly color: boolean;
  private boardLines = 0;

  constructor(private readonly cli: CliContext) {
    this.color = useColor(cli.stderr, cli.env);
    this.host = { notify: (m) => this.notify(m) };
  }

  private paint(code: string, s: string): string {
    return this.color && s ? `${code}${s}${RESET}` : s;
  }

  private write(s: string): void {
    this.cli.stderr.write(s);
  }

  private closeLine(): void {
    if (this.open) {
      this.write('\n');
      this.open = false;
    }
  }

  notify(m: Message): void {
    if (m.level === 'debug' && !this.cli.debug) return;
    // `senza.action` is the older shape of a span (phase in data); both render as one action line.
    const phase = m.span?.phase ?? (m.code === 'senza.action' ? m.data?.phase : undefined);
    if (phase) {
      if (phase === 'start') {
        this.closeLine();
        this.write(m.text);
        this.open = true;
        this.warned = false;
      } else {
        const verdict = m.text === 'OK' ? this.paint(GREEN, 'OK') : m.text;
        this.write(this.warned || m.text === '' ? '\n' : ` ${verdict}\n`);
        this.open = false;
      }
      return;
    }
    if (this.open) {
      // Inside an action: info continues the line (dry-run details), a warning ends it in yellow.
      if (m.level === 'warn' || m.level === 'error') {
        this.write(` ${this.paint(m.level === 'warn' ? YELLOW : RED, m.text)}`);
        this.warned = true;
      } else {
        this.write(`${m.text}\n`);
      }
      return;
    }
    const color = m.level === 'warn' ? YELLOW : m.level === 'error' ? RED : '';
    this.write(`${this.paint(color, m.level === 'warn' ? `Warning: ${m.text}` : m.text)}\n`);
  }

  /** Runs an engine call; a typed error raised while an action line is open ends that line. */
  async action<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (this.open && isStupsError(e)) {
        const report = describeError(e);
        this.write(` ${this.paint(RED, report.message)}\n`);
        this.open = false;
        if (report.hint) this.write(`Hint: ${report.hint}\n`);
        throw new ReportedError(report.exitCode);
      }
      this.closeLine();
      throw e;
    }
  }

  /** The exit code of an error this view already showed; other errors go on to the top-level handler. */
  exitCodeOf(e: unknown): number {
    if (e instanceof ReportedError) return e.exitCode;
    throw e;
  }

  /**
   * `--wait`: follows the stacks until CloudFormation is done. Ctrl-C stops watching (the stacks are
   * left alone), prints the command that resumes watching and exits 130; a failure exits 1 naming
   * the failed resources and their reasons.
   */
  async watch(session: AwsSession, targets: WatchTarget[], operation: StackOperation, resume: string): Promise<number> {
    const { watchStacks, watchFailure, StackProgressBoard } = await import('@stups/core/senza/stacks');
    const live = liveProgress(this.cli);
    const board = new StackProgressBoard(targets.map((t) => t.stackName));
    const redraw = () => {
      const lines = board.lines();
      if (this.boardLines > 0) this.write(`\u001b[${this.boardLines}A\u001b[J`);
      this.write(`${lines.join('\n')}\n`);
      this.boardLines = lines.length;
    };
    const host: IoHost = {
      notify: (m) => {
        if (m.code === 'senza.stack.event') {
          const e = m.data?.event as StackEvent;
          if (live) {
            board.apply(e);
            redraw();
          } else this.write(`${m.text}\n`);
          return;
        }
        if (m.code === 'senza.stack.done') {
          if (live) {
            board.setStatus(String(m.data?.stackName), String(m.data?.status));
            redraw();
          }
          return;
        }
        this.notify(m);
      },
    };
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      if (live) redraw();
      const result = await watchStacks(targets, session, { operation, host, signal: controller.signal });
      const failure = watchFailure(result);
      if (failure) {
        for (const s of result.stacks.filter((x) => !x.succeeded)) {
          for (const f of s.failures)
            this.write(`${this.paint(RED, `ERROR: ${f.logicalId} ${f.status}: ${f.reason}`)}\n`);
        }
        throw failure;
      }
      const verb = { create: 'created', update: 'updated', delete: 'deleted' }[operation];
      this.write(
        `${this.paint(GREEN, 'OK:')} Stack(s) ${targets.map((t) => t.stackName).join(', ')} ${verb} successfully.\n`,
      );
      return 0;
    } catch (e) {
      if (e instanceof AbortedError) {
        this.write(`\nStopped watching; CloudFormation carries on. To resume watching: ${resume}\n`);
        return 130;
      }
      throw e;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  }
}

/** `senza wait NAME VERSION [--deletion] [--region R]`: the command that resumes a detached watch. */
export function resumeCommand(stackName: string, options: Record<string, unknown>, deletion = false): string {
  const i = stackName.lastIndexOf('-');
  const ref = i < 0 ? stackName : `${stackName.slice(0, i)} ${stackName.slice(i + 1)}`;
  return `senza wait${deletion ? ' --deletion' : ''} ${ref}${options.region ? ` --region ${options.region}` : ''}`;
}

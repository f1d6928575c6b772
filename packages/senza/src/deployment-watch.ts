import type { CliContext } from '@stups/cli-kit';
import { AbortedError, EXIT, InterruptedError, type IoHost } from '@stups/core';
import type { AwsSession } from '@stups/core/aws';
import type { StackEvent, StackOperation, WatchTarget } from '@stups/core/senza';

/**
 * `--wait`: follows the stacks until CloudFormation is done. On a live terminal the stacks' progress
 * is a board redrawn in place; elsewhere each event is one appended line. Ctrl-C stops watching (the
 * stacks are left alone) with exit 130 and the command that resumes watching as the hint; a failure
 * exits 1 naming the failed resources and their reasons.
 */
export async function watchDeployment(
  cli: CliContext,
  session: AwsSession,
  targets: WatchTarget[],
  operation: StackOperation,
  resume: string,
): Promise<number> {
  const { watchStacks, watchFailure, StackProgressBoard } = await import('@stups/core/senza/stacks');
  const { host: cliHost } = cli;
  const live = cliHost.live && cliHost.logFormat === 'text';
  const board = new StackProgressBoard(targets.map((t) => t.stackName));
  const host: IoHost = {
    notify: (m) => {
      if (live && m.code === 'senza.stack.event') {
        board.apply(m.data?.event as StackEvent);
        cliHost.redraw(board.lines());
        return;
      }
      if (m.code === 'senza.stack.done') {
        if (live) {
          board.setStatus(String(m.data?.stackName), String(m.data?.status));
          cliHost.redraw(board.lines());
        }
        return;
      }
      cliHost.notify(m);
    },
  };
  try {
    if (live) cliHost.redraw(board.lines());
    const result = await watchStacks(targets, session, { operation, host, signal: cli.signal });
    const failure = watchFailure(result);
    if (failure) {
      for (const s of result.stacks.filter((x) => !x.succeeded)) {
        for (const f of s.failures)
          cliHost.notify({
            level: 'error',
            code: 'senza.watch.resource-failed',
            text: `ERROR: ${f.logicalId} ${f.status}: ${f.reason}`,
            data: { ...f, stackName: s.stackName },
          });
      }
      throw failure;
    }
    const verb = { create: 'created', update: 'updated', delete: 'deleted' }[operation];
    cliHost.notify({
      level: 'info',
      code: 'senza.watch.succeeded',
      text: `OK: Stack(s) ${targets.map((t) => t.stackName).join(', ')} ${verb} successfully.`,
      data: { stacks: targets.map((t) => t.stackName), operation },
    });
    return EXIT.OK;
  } catch (e) {
    if (e instanceof AbortedError) {
      throw new InterruptedError('Stopped watching; CloudFormation carries on.', {
        code: 'senza.watch.interrupted',
        hint: `To resume watching: ${resume}`,
      });
    }
    throw e;
  }
}

/** `senza wait NAME VERSION [--deletion] [--region R]`: the command that resumes a detached watch. */
export function resumeCommand(stackName: string, options: { region?: string }, deletion = false): string {
  const i = stackName.lastIndexOf('-');
  const ref = i < 0 ? stackName : `${stackName.slice(0, i)} ${stackName.slice(i + 1)}`;
  return `senza wait${deletion ? ' --deletion' : ''} ${ref}${options.region ? ` --region ${options.region}` : ''}`;
}

import type { CliContext } from '@stups/cli-kit';
import { AbortedError, EXIT, InterruptedError, OperationError } from '@stups/core';
import type { AwsSession } from '@stups/core/aws';
import type { StackEvent, StackOperation, WatchResult, WatchTarget } from '@stups/core/senza';

/** `create/update --wait`: diagnose the new version while CloudFormation works. */
export interface WatchDiagnosis {
  name: string;
  version: string;
  /** Delete (create) or cancel (update) the new version as soon as a verdict is certain. */
  failFast: boolean;
  region?: string;
}

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
  diagnosis?: WatchDiagnosis,
): Promise<number> {
  const { watchStacks, watchFailure, StackProgressBoard } = await import('@stups/core/senza/stacks');
  const { host } = cli;
  const live = host.live && host.logFormat === 'text';
  const board = new StackProgressBoard(targets.map((t) => t.stackName));
  // On a live terminal each event updates the board; elsewhere it is a line as any message.
  const stopEvents = host.render('senza.stack-event', (m) => {
    if (!live) return false;
    board.apply(m.data?.event as StackEvent);
    host.redraw(board.lines());
    return true;
  });
  // A final status shows only on the board; elsewhere the closing OK or ERROR lines say it (no line of its own; a JSON line, as every message).
  const stopDone = host.render('senza.stack-done', (m) => {
    if (live) {
      board.setStatus(String(m.data?.stackName), String(m.data?.status));
      host.redraw(board.lines());
    }
    return true;
  });
  try {
    if (live) host.redraw(board.lines());
    const result =
      diagnosis && operation !== 'delete' && targets.length === 1
        ? await watchDiagnosed(cli, session, targets[0], operation, diagnosis)
        : await watchStacks(targets, session, { operation, host, signal: cli.signal });
    const failure = watchFailure(result);
    if (failure) {
      for (const s of result.stacks.filter((x) => !x.succeeded)) {
        for (const f of s.failures)
          host.notify({
            level: 'error',
            code: 'senza.watch-resource-failed',
            text: `ERROR: ${f.logicalId} ${f.status}: ${f.reason}`,
            data: { ...f, stackName: s.stackName },
          });
      }
      throw failure;
    }
    const verb = { create: 'created', update: 'updated', delete: 'deleted' }[operation];
    host.notify({
      level: 'info',
      code: 'senza.watch-succeeded',
      text: `OK: Stack(s) ${targets.map((t) => t.stackName).join(', ')} ${verb} successfully.`,
      data: { stacks: targets.map((t) => t.stackName), operation },
    });
    return EXIT.OK;
  } catch (e) {
    if (e instanceof AbortedError) {
      throw new InterruptedError('Stopped watching; CloudFormation carries on.', {
        code: 'senza.watch-interrupted',
        hint: `To resume watching: ${resume}`,
      });
    }
    throw e;
  } finally {
    stopEvents();
    stopDone();
  }
}

/**
 * The watch with a diagnosis alongside: a verdict is printed (its code, evidence, fix and next command)
 * and ends the command with exit 1 and the verdict's code; `failFast` then deletes or cancels the new
 * version, else the hint says how. Without a verdict, CloudFormation's result as usual.
 */
async function watchDiagnosed(
  cli: CliContext,
  session: AwsSession,
  target: WatchTarget,
  operation: 'create' | 'update',
  diagnosis: WatchDiagnosis,
): Promise<WatchResult> {
  const { watchWithDiagnosis, cancelDeployment, cancelCommand, formatVerdict, verdictJson } = await import(
    '@stups/core/senza/diagnose'
  );
  const { verdict, result } = await watchWithDiagnosis(
    session,
    target,
    { name: diagnosis.name, version: diagnosis.version },
    { operation, host: cli.host, signal: cli.signal },
  );
  if (!verdict) return result as WatchResult;
  cli.host.notify({
    level: 'error',
    code: verdict.code,
    text: formatVerdict(verdict).join('\n'),
    data: verdictJson(verdict),
  });
  // CloudFormation failed first: its failure (resources, reasons) follows the verdict as without one.
  if (result) return result;
  let hint: string | undefined;
  if (diagnosis.failFast) {
    const action = await cancelDeployment(session, target.stackId, target.stackName, operation);
    cli.host.notify({
      level: 'info',
      code: 'senza.diagnose-cancelled',
      text: `${action === 'deleted' ? 'Deleting' : 'Cancelled the update of'} stack ${target.stackName} (--fail-fast).`,
      data: { stackName: target.stackName, action },
    });
    if (action === 'deleted') hint = `To follow the deletion: ${resumeCommand(target.stackName, diagnosis, true)}`;
  } else {
    hint = `CloudFormation carries on. To stop it: ${cancelCommand(target.stackName, operation, diagnosis.region)}`;
  }
  throw new OperationError(`${target.stackName}: ${verdict.summary}`, {
    code: verdict.code,
    hint,
    data: verdictJson(verdict),
  });
}

/** `senza wait NAME VERSION [--deletion] [--region R]`: the command that resumes a detached watch. */
export function resumeCommand(stackName: string, options: { region?: string }, deletion = false): string {
  const i = stackName.lastIndexOf('-');
  const ref = i < 0 ? stackName : `${stackName.slice(0, i)} ${stackName.slice(i + 1)}`;
  return `senza wait${deletion ? ' --deletion' : ''} ${ref}${options.region ? ` --region ${options.region}` : ''}`;
}

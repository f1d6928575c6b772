import {
  CreateStackCommand,
  DescribeStacksCommand,
  type DescribeStacksCommandOutput,
} from '@aws-sdk/client-cloudformation';
import { isStackMissing } from '../../../aws/aws-errors.js';
import type { AwsSession } from '../../../aws/aws-session.js';
import { clientRequestToken } from '../../../aws/client-request-token.js';
import { isOutcomeUnknown } from '../../../aws/outcome-unknown.js';
import { AwsError, OperationError } from '../../../errors.js';
import { type IoHost, silentHost } from '../../../io/messages.js';
import { pythonRepr } from '../../../io/python-values.js';
import type { CompiledStack } from '../../template/template.js';
import { recordsInTheWay } from './records-in-the-way.js';
import { endAction, startAction } from './stack-action.js';
import { type StackOperationOptions, type StackOperationResult, stackParameters } from './stack-operation.js';
import { updateStack } from './update-stack.js';

export interface CreateStackOptions extends StackOperationOptions {
  /** An existing stack of that name is updated instead (--update-if-exists). */
  updateIfExists?: boolean;
}

/**
 * `senza create`: CreateStack with the compiled template, tags, notification ARNs and capabilities.
 * Does not wait (see watchStacks). An existing stack is an error unless `updateIfExists`.
 */
export async function createStack(
  session: AwsSession,
  compiled: CompiledStack,
  options: CreateStackOptions = {},
): Promise<StackOperationResult> {
  const host = options.host ?? silentHost;
  const stackName = compiled.stackName;
  if (!options.dryRun) await refuseLeftRecord(session, compiled);
  startAction(host, `Creating Cloud Formation stack ${stackName}..`, { stackName });
  if (options.dryRun) {
    host.notify({
      level: 'info',
      code: 'senza.create-dry-run',
      text: `**DRY-RUN** ${pythonRepr(compiled.notificationArns)}`,
      data: { notificationArns: compiled.notificationArns },
    });
    host.notify({
      level: 'info',
      code: 'senza.create-dry-run-tags',
      text: `Tags: ${pythonRepr(compiled.tags)}`,
      data: { tags: compiled.tags },
    });
    endAction(host);
    return { stackName, operation: 'create', outcome: 'dry-run' };
  }
  const started = Date.now();
  try {
    const out = await session.send(
      'cloudformation',
      new CreateStackCommand({
        StackName: stackName,
        TemplateBody: JSON.stringify(compiled.template),
        Parameters: stackParameters(compiled),
        Tags: compiled.tags,
        NotificationARNs: compiled.notificationArns,
        Capabilities: compiled.capabilities as never,
        DisableRollback: Boolean(options.disableRollback),
        ClientRequestToken: clientRequestToken(),
      }),
      stackName,
    );
    endAction(host);
    return { stackName, operation: 'create', outcome: 'created', stackId: out.StackId };
  } catch (e) {
    const known = await readBackCreate(session, host, stackName, started, e);
    if (known) return known;
    if (!(e instanceof AwsError && e.awsCode === 'AlreadyExistsException')) throw e;
    if (!options.updateIfExists) {
      throw new OperationError(`Stack ${stackName} already exists. Please choose another version.`, {
        code: 'senza.stack-exists',
        hint: 'Use --update-if-exists to update it instead.',
        cause: e,
      });
    }
    endAction(host, 'ALREADY EXISTS');
    host.notify({
      level: 'warn',
      code: 'senza.create-exists-update',
      text: `Stack ${stackName} already exists. It will be updated`,
      data: { stackName },
    });
    return updateStack(session, compiled, options);
  }
}

/** How long before the CreateStack call a stack's CreationTime may lie and still be this call's (clock skew). */
const CLOCK_SKEW_MS = 60_000;

/**
 * CreateStack failed in a way that does not tell whether it happened: its answer was lost (a timeout, a
 * dropped connection). (A retry that finds the stack "already exists" because its first attempt created
 * it is settled by the session with the ClientRequestToken: aws/client-request-token.ts.) DescribeStacks for the name says what is true: a stack created since this call began is this call's
 * (created: the command goes on); none means not created (the error stands); and when that cannot be
 * read either, an error saying the outcome is unknown, never that the create failed.
 */
async function readBackCreate(
  session: AwsSession,
  host: IoHost,
  stackName: string,
  started: number,
  e: unknown,
): Promise<StackOperationResult | undefined> {
  if (!isOutcomeUnknown(e)) return undefined;
  let stack: { StackId?: string; StackStatus?: string; CreationTime?: Date } | undefined;
  try {
    const out = await session.send('cloudformation', new DescribeStacksCommand({ StackName: stackName }), stackName);
    stack = out.Stacks?.[0];
  } catch (readError) {
    const missing = readError instanceof AwsError && /does not exist/.test(readError.message);
    if (!missing)
      throw new OperationError(
        `Whether stack ${stackName} was created is unknown: the answer to CreateStack was lost (${(e as Error).message}) and reading the stack back failed too`,
        {
          code: 'senza.create-outcome-unknown',
          hint: `Look for ${stackName} with \`senza list\` once AWS answers again; create it again only if it is not there.`,
          cause: e,
        },
      );
  }
  const ours =
    stack?.CreationTime !== undefined &&
    stack.CreationTime.getTime() >= started - CLOCK_SKEW_MS &&
    !String(stack.StackStatus).startsWith('DELETE');
  if (!ours) return undefined;
  host.notify({
    level: 'warn',
    code: 'senza.create-read-back',
    text: `The answer to CreateStack was lost (${(e as Error).message}); read back: stack ${stackName} was created by this command (${stack?.StackStatus})`,
    data: { stackName, status: stack?.StackStatus },
  });
  endAction(host);
  return { stackName, operation: 'create', outcome: 'created', stackId: stack?.StackId };
}

/**
 * A record in the way of the new stack's RecordSets (recordsInTheWay: a weighted record with its
 * SetIdentifier that an earlier stack left behind, or the version domain's name taken): creating the
 * RecordSet would fail ("already exists", senza#268). Refused up front, naming the record.
 */
async function refuseLeftRecord(session: AwsSession, compiled: CompiledStack): Promise<void> {
  const stackName = compiled.stackName;
  const left = await recordsInTheWay(session, compiled);
  if (left.length === 0) return;
  // The stack exists: its own records (update-if-exists, or the "already exists" error).
  const exists = await session
    .send('cloudformation', new DescribeStacksCommand({ StackName: stackName }), stackName)
    .then(
      (out: DescribeStacksCommandOutput) => (out.Stacks ?? []).some((s) => s.StackStatus !== 'DELETE_COMPLETE'),
      (e: unknown) => {
        if (isStackMissing(e)) return false;
        throw e;
      },
    );
  if (exists) return;
  const r = left[0];
  throw new OperationError(
    r.kind === 'left'
      ? `Route53 already holds the weighted record ${r.described}, left behind by an earlier stack ${stackName}`
      : `Route53 already holds the record ${r.described}, which stack ${stackName} would create`,
    {
      code: 'senza.create-record-left',
      hint: `${r.removal}; then create again.`,
      data: {
        stackName,
        name: r.name,
        setIdentifier: r.setIdentifier ?? null,
        weight: r.weight ?? null,
        zoneId: r.zoneId,
      },
    },
  );
}

import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  type DescribeChangeSetCommandOutput,
} from '@aws-sdk/client-cloudformation';
import { isStackMissing } from '../../../aws/aws-errors.js';
import type { AwsSession } from '../../../aws/aws-session.js';
import { clientRequestToken } from '../../../aws/client-request-token.js';
import { awsItems } from '../../../aws/pages.js';
import { AwsError, NotFoundError, OperationError } from '../../../errors.js';
import { type IoHost, silentHost } from '../../../io/messages.js';
import { DEFAULT_POLL_SCHEDULE, pollUntil, type Sleep } from '../../../io/poll-schedule.js';
import type { CompiledStack } from '../../template/template.js';
import { proposedParameters, readDeployedStack, withDeployedWeights } from './deployed-records.js';
import { stackParameters } from './stack-operation.js';
import { diffTemplates, hasDifferences, type TemplateDiff } from './template-diff.js';

/** One change CloudFormation reports in a change set. */
export interface ChangeSetChange {
  action: string;
  logicalId: string;
  resourceType: string;
  /** `True`, `False` or `Conditional` (only for Modify). */
  replacement?: string;
  /** Which parts change: Properties, Metadata, Tags, ... */
  scope: string[];
  /** Names of changed properties where AWS says. */
  properties: string[];
}

export interface StackDiff {
  stackName: string;
  diff: TemplateDiff;
  differences: boolean;
  /** Undefined when not asked for; `status` says why a change set has no changes. */
  changeSet?: { changes: ChangeSetChange[]; status: string; reason?: string };
}

export interface StackDiffOptions {
  host?: IoHost;
  /** Ask CloudFormation for a change set too (created, read, deleted again). */
  changeSet?: boolean;
  signal?: AbortSignal;
  sleep?: Sleep;
}

function missing(e: unknown, stackName: string): never {
  if (isStackMissing(e))
    throw new NotFoundError(`Stack ${stackName} does not exist.`, { code: 'senza.stack-not-found', cause: e });
  throw e;
}

/**
 * `senza diff`: the deployed template and parameter values (GetTemplate, DescribeStacks) against the
 * regenerated ones, with the deployed weights of the weighted records kept as `senza update` does; optionally the
 * change set CloudFormation would execute (CreateChangeSet, DescribeChangeSet, DeleteChangeSet).
 */
export async function diffStack(
  session: AwsSession,
  compiled: CompiledStack,
  options: StackDiffOptions = {},
): Promise<StackDiff> {
  const host = options.host ?? silentHost;
  const stackName = compiled.stackName;
  const deployed = await readDeployedStack(session, stackName).catch((e) => missing(e, stackName));
  const proposedParams = proposedParameters(compiled);
  // As `senza update`: the stored weights stay, so a traffic switch is no difference.
  const { template } = withDeployedWeights(compiled.template, deployed.template);
  const diff = diffTemplates(deployed.template, template as never, {
    old: deployed.parameters,
    new: proposedParams,
  });
  const result: StackDiff = { stackName, diff, differences: hasDifferences(diff) };
  // Without differences AWS refuses the change set ("didn't contain changes"): don't ask.
  if (options.changeSet && result.differences) {
    result.changeSet = await changeSetOf(session, { ...compiled, template }, host, options);
  }
  return result;
}

async function changeSetOf(
  session: AwsSession,
  compiled: CompiledStack,
  host: IoHost,
  options: StackDiffOptions,
): Promise<NonNullable<StackDiff['changeSet']>> {
  const stackName = compiled.stackName;
  const name = `senza-diff-${Date.now()}`;
  host.notify({ level: 'debug', code: 'senza.diff-change-set', text: `Creating change set ${name} for ${stackName}` });
  const created = await session
    .send(
      'cloudformation',
      new CreateChangeSetCommand({
        StackName: stackName,
        ChangeSetName: name,
        ChangeSetType: 'UPDATE',
        TemplateBody: JSON.stringify(compiled.template),
        Parameters: stackParameters(compiled),
        NotificationARNs: compiled.notificationArns,
        Capabilities: compiled.capabilities as never,
        ClientToken: clientRequestToken(),
      }),
      stackName,
    )
    .catch((e: unknown) => {
      if (e instanceof AwsError && /No updates are to be performed/.test(e.message)) return undefined;
      throw e;
    });
  if (!created) return { changes: [], status: 'FAILED', reason: 'No updates are to be performed.' };
  const id = created.Id ?? name;
  const describe = (bounded: AwsSession, NextToken?: string) =>
    bounded.send<DescribeChangeSetCommandOutput>(
      'cloudformation',
      new DescribeChangeSetCommand({ ChangeSetName: id, StackName: stackName, NextToken }),
      stackName,
    );
  try {
    // CloudFormation computes the change set asynchronously; its first page comes with the final status.
    const first = await pollUntil(
      async (signal) => {
        const page = await describe(session.withSignal(signal));
        return page.Status === 'CREATE_PENDING' || page.Status === 'CREATE_IN_PROGRESS' ? undefined : page;
      },
      {
        schedule: DEFAULT_POLL_SCHEDULE,
        signal: options.signal,
        sleep: options.sleep,
        // No bound (as before): the wait ends when CloudFormation has computed the set, or on Ctrl-C.
        onTimeout: () => new OperationError(`Change set ${name} of ${stackName} was not ready in time`),
      },
    );
    const changes = await awsItems({
      first,
      fetch: (NextToken) => describe(session.withSignal(options.signal), NextToken),
      next: (page) => page.NextToken,
      items: (page) => page.Changes,
      signal: options.signal,
    });
    return {
      changes: changes.flatMap((c): ChangeSetChange[] => {
        const r = c.ResourceChange;
        if (!r) return [];
        return [
          {
            action: r.Action ?? '',
            logicalId: r.LogicalResourceId ?? '',
            resourceType: r.ResourceType ?? '',
            replacement: r.Replacement,
            scope: r.Scope ?? [],
            properties: changedProperties(r.Details ?? []),
          },
        ];
      }),
      status: first.Status ?? '',
      reason: first.StatusReason,
    };
  } finally {
    await session
      .send('cloudformation', new DeleteChangeSetCommand({ ChangeSetName: id, StackName: stackName }), stackName)
      .catch((e) =>
        host.notify({
          level: 'warn',
          code: 'senza.diff-change-set-left',
          text: `Change set ${name} could not be deleted: ${String(e)}`,
        }),
      );
  }
}

function changedProperties(details: { Target?: { Name?: string } }[]): string[] {
  const names = new Set<string>();
  for (const d of details) if (d.Target?.Name) names.add(d.Target.Name);
  return [...names];
}

/** Change set lines: `Modify AppServerConfig (AWS::AutoScaling::LaunchConfiguration) replacement: True`. */
export function formatChangeSet(cs: NonNullable<StackDiff['changeSet']>): string[] {
  if (cs.changes.length === 0) return [`(no changes${cs.reason ? `: ${cs.reason}` : ''})`];
  return cs.changes.map((c) => {
    const parts = [`${c.action} ${c.logicalId} (${c.resourceType})`];
    if (c.replacement) parts.push(`replacement: ${c.replacement}`);
    if (c.properties.length) parts.push(`properties: ${c.properties.join(', ')}`);
    return parts.join(' ');
  });
}

import { UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { isStackMissing } from '../../../aws/aws-errors.js';
import type { AwsSession } from '../../../aws/aws-session.js';
import { clientRequestToken } from '../../../aws/client-request-token.js';
import { AwsError, NotFoundError } from '../../../errors.js';
import { silentHost } from '../../../io/messages.js';
import { pythonRepr } from '../../../io/python-values.js';
import type { CompiledStack } from '../../template.js';
import type { CfTemplate } from '../../template-types.js';
import { isObject } from '../../template-types.js';
import { liveStackWeights, type StackWeight } from '../../traffic/traffic-discovery.js';
import { latestEventId } from '../watch/stack-events-watch.js';
import { endAction, startAction } from './stack-action.js';
import { type StackOperationOptions, type StackOperationResult, stackParameters } from './stack-operation.js';

export interface UpdateStackOptions extends StackOperationOptions {
  /** Live Route53 weights of the stack (read from AWS when not given and not a dry run). */
  liveWeights?: StackWeight[];
}

export interface KeptWeight {
  logicalId: string;
  domain: string;
  templateWeight: unknown;
  liveWeight: number;
}

/**
 * The template with the stack's live weights in its weighted RecordSets. A regenerated template
 * says `Weight: 0` on the main domain; updating with it would silently take a live stack's traffic
 * away (the original's behaviour). Pure: returns a copy and what it changed.
 */
export function withLiveWeights(
  template: CfTemplate,
  weights: StackWeight[],
): { template: CfTemplate; kept: KeptWeight[] } {
  const kept: KeptWeight[] = [];
  const resources = { ...(template.Resources ?? {}) };
  for (const w of weights) {
    const r = resources[w.logicalId];
    if (r?.Type !== 'AWS::Route53::RecordSet' || !isObject(r.Properties)) continue;
    const props = r.Properties;
    if (props.SetIdentifier === undefined || !('Weight' in props)) continue;
    if (props.Weight === w.weight) continue;
    kept.push({ logicalId: w.logicalId, domain: w.domain, templateWeight: props.Weight, liveWeight: w.weight });
    resources[w.logicalId] = { ...r, Properties: { ...props, Weight: w.weight } };
  }
  return { template: kept.length ? { ...template, Resources: resources } : template, kept };
}

function isNoUpdate(e: unknown): boolean {
  return e instanceof AwsError && /No updates are to be performed/.test(e.message);
}

/**
 * `senza update`: UpdateStack with the regenerated template (stack tags are never updated), keeping
 * the live traffic weights. "No updates are to be performed." is success (`NO UPDATE`).
 */
export async function updateStack(
  session: AwsSession,
  compiled: CompiledStack,
  options: UpdateStackOptions = {},
): Promise<StackOperationResult> {
  const host = options.host ?? silentHost;
  const stackName = compiled.stackName;
  let template = compiled.template;
  let afterEventId: string | undefined;
  if (!options.dryRun) {
    let weights: StackWeight[];
    try {
      weights = options.liveWeights ?? (await liveStackWeights(session, stackName));
      afterEventId = await latestEventId(session, stackName);
    } catch (e) {
      if (isStackMissing(e))
        throw new NotFoundError(`Stack ${stackName} does not exist.`, {
          code: 'senza.stack-not-found',
          hint: 'Create it with senza create (or pass --update-if-exists to create).',
          cause: e,
        });
      throw e;
    }
    const applied = withLiveWeights(template, weights);
    template = applied.template;
    for (const k of applied.kept) {
      host.notify({
        level: 'info',
        code: 'senza.update.weight-kept',
        text: `Keeping the live weight ${k.liveWeight} of ${k.domain} (${k.logicalId}); the template says ${String(k.templateWeight)}`,
        data: { ...k },
      });
    }
  }
  startAction(host, `Updating Cloud Formation stack ${stackName}..`, { stackName });
  if (options.dryRun) {
    host.notify({
      level: 'info',
      code: 'senza.update.dry-run',
      text: `**DRY-RUN** ${pythonRepr(compiled.notificationArns)}`,
      data: { notificationArns: compiled.notificationArns },
    });
    endAction(host);
    return { stackName, operation: 'update', outcome: 'dry-run' };
  }
  try {
    const out = await session.send(
      'cloudformation',
      new UpdateStackCommand({
        StackName: stackName,
        TemplateBody: JSON.stringify(template),
        Parameters: stackParameters(compiled),
        NotificationARNs: compiled.notificationArns,
        Capabilities: compiled.capabilities as never,
        DisableRollback: Boolean(options.disableRollback),
        ClientRequestToken: clientRequestToken(),
      }),
      stackName,
    );
    endAction(host);
    return { stackName, operation: 'update', outcome: 'updated', stackId: out.StackId, afterEventId };
  } catch (e) {
    if (isNoUpdate(e)) {
      endAction(host, 'NO UPDATE');
      return { stackName, operation: 'update', outcome: 'no-update' };
    }
    throw e;
  }
}

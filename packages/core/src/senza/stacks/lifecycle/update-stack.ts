import { UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { isStackMissing } from '../../../aws/aws-errors.js';
import type { AwsSession } from '../../../aws/aws-session.js';
import { clientRequestToken } from '../../../aws/client-request-token.js';
import { AwsError, NotFoundError, OperationError } from '../../../errors.js';
import { silentHost } from '../../../io/messages.js';
import { pythonRepr } from '../../../io/python-values.js';
import type { CompiledStack } from '../../template/template.js';
import { liveStackWeights, type StackWeight } from '../../traffic/traffic-discovery.js';
import { PERCENT_RESOLUTION } from '../../traffic/traffic-plan.js';
import { splitStackName } from '../stack-ref.js';
import { latestEventId } from '../watch/stack-events-watch.js';
import {
  changedWeightedRecordSets,
  type DeployedStack,
  proposedParameters,
  readDeployedStack,
  statedWeight,
  type WeightedRecordSet,
  weightedRecordSets,
  withDeployedWeights,
} from './deployed-records.js';
import { endAction, startAction } from './stack-action.js';
import { type StackOperationOptions, type StackOperationResult, stackParameters } from './stack-operation.js';

export interface UpdateStackOptions extends StackOperationOptions {
  /** Live Route53 weights of the stack (read from AWS when not given and not a dry run). */
  liveWeights?: StackWeight[];
}

/**
 * Refuses, before anything changes, an update that changes or removes a weighted record which has
 * traffic or whose live weight differs from the one CloudFormation stored: CloudFormation would send
 * Route53 a DELETE of the stored record, which fails on a mismatch (UPDATE_FAILED, senza#426) and, for a
 * record with traffic, takes its answers away until the new record exists.
 */
function refuseRecordChange(stackName: string, changed: WeightedRecordSet[], weights: StackWeight[]): void {
  for (const r of changed) {
    const stored = statedWeight(r.weight);
    for (const live of weights.filter((w) => w.logicalId === r.logicalId)) {
      if (live.weight === 0 && live.weight === stored) continue;
      const { name } = splitStackName(stackName);
      const why =
        live.weight > 0
          ? `it has traffic (weight ${live.weight})`
          : `Route53 holds weight ${live.weight} but CloudFormation stored ${String(r.weight)}, so its delete of the record would fail`;
      throw new OperationError(
        `Stack ${stackName}: this update changes the weighted record ${r.logicalId} of ${live.domain}, and ${why}`,
        {
          code: 'senza.update-record-change-refused',
          hint:
            live.weight > 0
              ? `Move its traffic to another version first (senza traffic ${name} OTHER_VERSION 100), then update; or deploy the change as a new version (senza create).`
              : 'Deploy the change as a new version (senza create), shift the traffic to it and delete this one.',
          data: {
            stackName,
            logicalId: r.logicalId,
            domain: live.domain,
            liveWeight: live.weight,
            storedWeight: r.weight,
          },
        },
      );
    }
  }
}

function isNoUpdate(e: unknown): boolean {
  return e instanceof AwsError && /No updates are to be performed/.test(e.message);
}

/**
 * `senza update`: UpdateStack with the regenerated template (stack tags are never updated). Weighted
 * records keep the weight CloudFormation stored (see deployed-records), so their live weights stay; an
 * update that must change such a record while it has traffic is refused. "No updates are to be performed." is success (`NO UPDATE`).
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
    let deployed: DeployedStack;
    try {
      weights = options.liveWeights ?? (await liveStackWeights(session, stackName));
      deployed = await readDeployedStack(session, stackName);
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
    // The stored weight stays in the template, so CloudFormation leaves the record and its live weight alone.
    template = withDeployedWeights(template, deployed.template).template;
    const params = { old: deployed.parameters, new: proposedParameters(compiled) };
    refuseRecordChange(stackName, changedWeightedRecordSets(deployed.template, template, params), weights);
    const compiledWeights = new Map(weightedRecordSets(compiled.template).map((r) => [r.logicalId, r.weight]));
    for (const w of weights) {
      if (w.weight === statedWeight(compiledWeights.get(w.logicalId))) continue;
      host.notify({
        level: 'info',
        code: 'senza.update-weight-kept',
        text: `Keeping the live weight ${w.weight} of ${w.domain} (${w.logicalId}; ${w.weight / PERCENT_RESOLUTION} % in senza traffic): the update leaves the record as it is`,
        data: { logicalId: w.logicalId, domain: w.domain, liveWeight: w.weight },
      });
    }
  }
  startAction(host, `Updating Cloud Formation stack ${stackName}..`, { stackName });
  if (options.dryRun) {
    host.notify({
      level: 'info',
      code: 'senza.update-dry-run',
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

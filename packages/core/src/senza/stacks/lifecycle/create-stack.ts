import { CreateStackCommand } from '@aws-sdk/client-cloudformation';
import type { AwsSession } from '../../../aws/aws-session.js';
import { clientRequestToken } from '../../../aws/client-request-token.js';
import { AwsError, OperationError } from '../../../errors.js';
import { silentHost } from '../../../io/messages.js';
import { pythonRepr } from '../../../io/python-values.js';
import type { CompiledStack } from '../../template.js';
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
  startAction(host, `Creating Cloud Formation stack ${stackName}..`, { stackName });
  if (options.dryRun) {
    host.notify({
      level: 'info',
      code: 'senza.create.dry-run',
      text: `**DRY-RUN** ${pythonRepr(compiled.notificationArns)}`,
      data: { notificationArns: compiled.notificationArns },
    });
    host.notify({
      level: 'info',
      code: 'senza.create.dry-run-tags',
      text: ` Tags: ${pythonRepr(compiled.tags)}`,
      data: { tags: compiled.tags },
    });
    endAction(host);
    return { stackName, operation: 'create', outcome: 'dry-run' };
  }
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
    if (!(e instanceof AwsError && e.awsCode === 'AlreadyExistsException')) throw e;
    if (!options.updateIfExists) {
      throw new OperationError(`Stack ${stackName} already exists. Please choose another version.`, {
        code: 'senza.stack-exists',
        hint: 'Use --update-if-exists to update it instead.',
        cause: e,
      });
    }
    host.notify({
      level: 'warn',
      code: 'senza.create.exists-update',
      text: `Stack ${stackName} already exists. It will be updated`,
      data: { stackName },
    });
    endAction(host, '');
    return updateStack(session, compiled, options);
  }
}

import { awsError } from '../aws-errors.js';
import { parseTemplate } from '../cfn-lookups.js';
import type { Correction, LayerContext } from '../correction.js';

/** Accounts created on or after this day cannot create launch configurations (see below). */
export const LAUNCH_CONFIGURATIONS_ENDED_ON = '2024-10-01';

/** AWS's answer to CreateLaunchConfiguration in such an account (code, HTTP 400 and text as AWS sends them). */
export const LAUNCH_CONFIGURATION_UNAVAILABLE =
  'The Launch Configuration creation operation is not available in your account. Use launch templates to create configuration templates for your Auto Scaling groups.';

/** True when the emulated account is one of those that cannot create launch configurations. */
export function refusesLaunchConfigurations(layer: Pick<LayerContext, 'accountCreatedOn'>): boolean {
  return layer.accountCreatedOn >= LAUNCH_CONFIGURATIONS_ENDED_ON;
}

/**
 * "Accounts created on or after October 1, 2024 cannot create new launch configurations using any
 * method (console, API, AWS CLI, or CloudFormation)"
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/LaunchConfiguration.html). moto creates them
 * in any account. In an account created on or after that day (the platform's `accountCreatedOn`,
 * docs/stups-local.md):
 * - `CreateLaunchConfiguration` is refused with `UnsupportedOperation` (HTTP 400) and AWS's text;
 * - a `CreateStack` whose template holds an `AWS::AutoScaling::LaunchConfiguration` fails at that
 *   resource as CloudFormation reports it (`CREATE_FAILED` with "Resource handler returned message:
 *   ..." and `HandlerErrorCode: GeneralServiceException`, then the rollback), through the
 *   `stack-failure` correction, which sits inside this one.
 * Reading, using and deleting existing launch configurations stays possible, as on AWS.
 */
export const launchConfigurations: Correction = {
  name: 'launch-configurations',
  async handle(req, next, layer) {
    if (!refusesLaunchConfigurations(layer)) return next(req);
    if (req.service === 'autoscaling' && req.operation === 'CreateLaunchConfiguration') {
      return awsError(req, 400, 'UnsupportedOperation', LAUNCH_CONFIGURATION_UNAVAILABLE);
    }
    if (req.service === 'cloudformation' && req.operation === 'CreateStack') {
      const template = parseTemplate(req.params.get('TemplateBody') ?? '');
      const launchConfiguration = Object.entries(template?.Resources ?? {}).find(
        ([, r]) => r?.Type === 'AWS::AutoScaling::LaunchConfiguration',
      );
      const stackName = req.params.get('StackName') ?? '';
      if (launchConfiguration && stackName) {
        layer.faults.failStackCreation({
          stackName,
          logicalId: launchConfiguration[0],
          reason: handlerMessage(),
        });
      }
    }
    return next(req);
  },
};

/** The `ResourceStatusReason` CloudFormation writes when a resource handler gets an AWS error. */
function handlerMessage(): string {
  return (
    `Resource handler returned message: "${LAUNCH_CONFIGURATION_UNAVAILABLE} (Service: AutoScaling, Status Code: 400, ` +
    `Request ID: ${crypto.randomUUID()})" (RequestToken: ${crypto.randomUUID()}, HandlerErrorCode: GeneralServiceException)`
  );
}

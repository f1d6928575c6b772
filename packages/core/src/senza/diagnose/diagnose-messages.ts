import { EXIT } from '../../errors.js';
import type { CodesOf } from '../../io/message-codes.js';
import type { MessageCatalog } from '../../io/messages.js';

const VERDICT_DATA = {
  code: 'The verdict code (this one)',
  summary: 'one line',
  evidence: 'the evidence as lines',
  fix: 'how to fix it',
  next: 'the command to run next',
  data: 'the evidence as data (see the description)',
};

const verdict = (description: string) => ({
  level: 'error' as const,
  exitCode: EXIT.FAILED,
  description,
  data: VERDICT_DATA,
});

/**
 * The diagnosis of a version (`senza diagnose`, `create/update --wait`): one code per cause, emitted only
 * when the evidence makes it certain. Each is a message whose data is the verdict's JSON.
 */
export const DIAGNOSE_MESSAGES = {
  'senza.diagnose-image-missing': verdict(
    "The Docker image of the Taupage `source` does not exist: the registry says so, or the instance's pull failed with not found. data.data: image, repository, tag, registry answer, pull failure.",
  ),
  'senza.diagnose-pull-denied': verdict(
    "The instance's pull of the image was refused (unauthorized, denied). data.data: image, instanceId, reason.",
  ),
  'senza.diagnose-app-exited': verdict(
    'The container exited and is not restarted. data.data: instanceId, exitCodes, applicationLines (the last 20).',
  ),
  'senza.diagnose-crash-loop': verdict(
    'The container exited at least three times and keeps being restarted. data.data: instanceId, exitCodes, applicationLines (the last 20).',
  ),
  'senza.diagnose-health-failing': verdict(
    'The load balancer gave the same failing health answer at least three times in a row. data.data: instanceId, source, state, reasonCode, description, check (the health check target, e.g. HTTP:8080/health, or null), count.',
  ),
  'senza.diagnose-no-signal': verdict(
    'CloudFormation timed out waiting for the resource signal and no other cause was found. data.data: reason, where.',
  ),
  'senza.diagnose-capacity': verdict(
    'Instances could not be launched: insufficient capacity or an instance/vCPU limit (scaling activities, events). data.data: reason, where.',
  ),
  'senza.diagnose-access-denied': verdict(
    'An AWS call of the deployment was denied. data.data: reason, where, principal, action (when the message names them).',
  ),
  'senza.diagnose-ami-missing': verdict(
    'The launch configuration names an AMI that does not exist in the region. data.data: reason, where, ami.',
  ),
  'senza.diagnose-certificate-missing': verdict(
    'The load balancer names a certificate (ACM or IAM) that does not exist. data.data: reason, where, certificate.',
  ),
  'senza.diagnose-name-conflict': verdict(
    'A resource (or the stack) already exists under the name the version needs. data.data: reason, where (a failed resource); stackName, stackStatus (preflight: the stack exists); stackName, record, type, setIdentifier, weight, zoneId, zoneName (preflight: a Route53 record in the way).',
  ),
  'senza.diagnose-decrypt-failed': verdict(
    'An encrypted (aws:kms:) value of the Taupage configuration does not decrypt. data.data: instanceId, key, reason.',
  ),
  'senza.diagnose-none': {
    level: 'info',
    description: '`senza diagnose`: the evidence shows no certain cause (exit 0).',
    data: { stackName: 'the stack (name-version)', stackStatus: 'its status' },
  },
  'senza.diagnose-source-unavailable': {
    level: 'warn',
    description: 'An evidence source could not be read (denied, throttled); the verdict rests on the others.',
    data: { source: 'events, resources, scaling-activities, console, health or registry', reason: 'why' },
  },
  'senza.diagnose-preflight-ok': {
    level: 'info',
    description: '`senza create --preflight`: no check found a cause; nothing was created (exit 0).',
    data: { stackName: 'the stack (name-version)' },
  },
  'senza.diagnose-cancelled': {
    level: 'info',
    description: '`--fail-fast` after a verdict: the new version was deleted (create) or its update cancelled.',
    data: { stackName: 'the stack (name-version)', action: 'deleted or cancelled' },
  },
} satisfies MessageCatalog;

declare module '../../io/message-codes.js' {
  interface MessageCodes extends CodesOf<typeof DIAGNOSE_MESSAGES> {}
}

import { EXIT } from '../../errors.js';
import type { CodesOf } from '../../io/message-codes.js';
import type { MessageCatalog } from '../../io/messages.js';

/** Compiling a definition: account facts, components, Docker images. */
export const TEMPLATE_MESSAGES = {
  'aws.certificate-missing': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'The Server Certificate with name … cannot be found.',
    data: { name: 'the name looked up' },
  },
  'aws.domain-ambiguous': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Several hosted zones found (…); cannot pick the account domain',
  },
  'aws.domain-missing': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'No Domain configured: the account has no Route53 hosted zone',
  },
  'aws.security-group-missing': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Security Group "…" does not exist in region …',
    data: { name: 'the name looked up', region: 'the AWS region' },
  },
  'aws.sns-topic-missing': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'SNS topic "…" does not exist',
    data: { topic: 'the SNS topic', region: 'the AWS region' },
  },
  'aws.stack-missing': { level: 'error', exitCode: EXIT.FAILED, description: 'Stack "…" does not exist in region …' },
  'aws.stack-not-ready': { level: 'error', exitCode: EXIT.FAILED, description: 'Stack "…" is not ready ("…")' },
  'aws.stack-resource-missing': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Resource "…" of stack "…" does not exist in region …',
  },
  'aws.stack-resource-not-ready': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Resource "…" is not ready ("…")',
  },
  'aws.taupage-ami-missing': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'No Taupage AMI found (looked up … in region …)',
    data: { image: 'the image asked for', pattern: 'the AMI name pattern', region: 'the AWS region' },
  },
  'aws.vpc-ambiguous': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Multiple VPCs are only supported if one VPC is the default VPC (IsDefault=true)! Found … in …',
  },
  'aws.vpc-missing': { level: 'error', exitCode: EXIT.FAILED, description: "Can't find any VPC in region …" },
  'definition.component': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: "A component's properties are invalid (the component module names the property and the fix).",
  },
  'definition.component-failed': { level: 'error', exitCode: EXIT.USAGE, description: 'component "…" (…) failed: …' },
  'definition.senza-info': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: '"SenzaInfo" must be a map with at least StackName',
  },
  'definition.stack-name': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'StackName must be a non-empty string',
  },
  'definition.unknown-component': { level: 'error', exitCode: EXIT.USAGE, description: 'Component "…" does not exist' },
  'definition.unsupported-component': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Component type "…" is not supported by this version of senza yet',
  },
  'senza.certificate-missing': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'No ACM or IAM server certificate matches the domain of a load balancer.',
  },
  'senza.docker-image-missing': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Docker image "…" does not exist',
  },
  'senza.docker-image-unchecked': {
    level: 'warn',
    description: 'Docker image "…" not checked: its registry needs credentials (use --force to skip the check)',
  },
  'senza.docker-registry-error': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Docker registry … answered HTTP … for …',
  },
  'senza.docker-registry-unreachable': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Cannot reach the Docker registry … to check "…": …',
  },
  'senza.domain-missing': { level: 'error', exitCode: EXIT.FAILED, description: 'No Domain configured for "…"' },
  'senza.elb-internet-facing': {
    level: 'warn',
    description:
      'You are deploying an internet-facing ELB that will be publicly accessible! You should have OAUTH2 and HTTPS in place!',
    data: { component: "the component's name" },
  },
  'senza.facts': { level: 'debug', description: 'account facts: …' },
  'senza.pierone-unauthorized': {
    level: 'error',
    exitCode: EXIT.AUTH,
    description: 'senza could not check a Pier One image: no token or the token was refused (--force skips the check).',
  },
  'senza.stack-name-too-long': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Stack name "…" cannot exceed … characters. Please choose another name/version.',
  },
  'senza.tag-option-invalid': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Invalid --tag KEY=VALUE: a key or value AWS refuses, or a key the stack already has',
  },
  'senza.tags-too-many': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'The stack would have … tags; CloudFormation allows at most 50',
  },
  'senza.taupage-owners-invalid': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Invalid Taupage AMI owner "…" (SENZA_TAUPAGE_OWNERS / `senza config taupage.owners`)',
  },
  'definition.no-resources': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description:
      'The definition yields no CloudFormation resources (only a Configuration component): nothing to create.',
  },
} satisfies MessageCatalog;

declare module '../../io/message-codes.js' {
  interface MessageCodes extends CodesOf<typeof TEMPLATE_MESSAGES> {}
}

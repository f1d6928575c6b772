import { EXIT } from '../errors.js';
import type { MessageCatalog } from '../io/messages.js';

/** The AWS gateway: credentials, permissions, regions, reachability. */
export const AWS_MESSAGES = {
  'aws.access-denied': {
    level: 'error',
    exitCode: EXIT.AUTH,
    description: 'AWS refused the call for lack of permissions (AccessDenied, UnauthorizedOperation).',
  },
  'aws.credentials-expired': { level: 'error', exitCode: EXIT.AUTH, description: 'AWS credentials have expired.' },
  'aws.credentials-missing': { level: 'error', exitCode: EXIT.AUTH, description: 'No AWS credentials found.' },
  'aws.region-invalid': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: "Invalid value for '--region': '…' is not an AWS region name",
  },
  'aws.region-missing': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Please specify the AWS region on the command line (--region) or in ~/.aws/config',
  },
  'aws.unreachable': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'The AWS endpoint could not be reached (network error or timeout), naming the endpoint.',
  },
} satisfies MessageCatalog;

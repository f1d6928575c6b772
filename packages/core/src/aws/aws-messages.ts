import { EXIT } from '../errors.js';
import type { CodesOf } from '../io/message-codes.js';
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
    description:
      'The AWS endpoint could not be reached, or dropped the connection (a network error; through a proxy, the hint names it), naming the endpoint.',
  },
  'aws.timeout': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description:
      'An AWS call did not get a connection within the connect timeout, or a whole answer within its time budget (retries included; default 30 s), naming the endpoint and the limit.',
  },
  'aws.bad-response': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description:
      'The endpoint answered with something that is not an AWS response (an empty 404, an HTML page, garbage), naming the endpoint and the HTTP status.',
  },
  'aws.timeout-invalid': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description:
      'SENZA_AWS_TIMEOUT / SENZA_AWS_CONNECT_TIMEOUT or the aws timeouts in the config are not a number of seconds above 0.',
  },
  'aws.ca-bundle-unreadable': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'AWS_CA_BUNDLE names a file that cannot be read; names the file.',
  },
} satisfies MessageCatalog;

declare module '../io/message-codes.js' {
  interface MessageCodes extends CodesOf<typeof AWS_MESSAGES> {}
}

import { EXIT } from '@stups/core/errors';
import type { MessageCatalog } from '@stups/core/io';
import type { CodesOf } from '@stups/core/io/message-codes';

/** The AWS service of stups-local: moto, its seeding, the AWS-correcting layer. */
export const AWS_SERVICE_MESSAGES = {
  'local.moto-missing': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'moto is not installed (no `moto_server` on PATH); the hint says how to install it.',
  },
  'local.moto-reset-failed': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: "moto's reset endpoint answered with an error.",
  },
  'local.moto-start-failed': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'moto_server could not be started or exited at start-up (the message ends with its log).',
  },
  'local.moto-start-timeout': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'moto_server did not answer on its endpoint in time.',
  },
  'local.openssl-missing': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Seeding needs openssl for the self-signed IAM server certificate.',
  },
  'local.seed-failed': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Seeding the local account (VPC, zone, certificates, images, topic) failed.',
  },
} satisfies MessageCatalog;

declare module '@stups/core/io/message-codes' {
  interface MessageCodes extends CodesOf<typeof AWS_SERVICE_MESSAGES> {}
}

import type { CliKitCodes } from '@stups/cli-kit';
import { EXIT, type MessageCatalog } from '@stups/core';
import type { CodesOf } from '@stups/core/io/message-codes';

/** What the pierone commands themselves raise (the engine's codes are in core's PIERONE_MESSAGES). */
export const PIERONE_CLI_MESSAGES = {
  'pierone.url-missing': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'No Pier One URL (--url, PIERONE_URL, pierone.yaml) and no terminal to ask for one.',
  },
  'pierone.latest-not-found': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: '`pierone latest`: Pier One knows no latest tag for the artifact.',
  },
  'pierone.team-unknown': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: '`pierone tags TEAM`: the team does not exist or has no artifacts.',
  },
  'pierone.artifact-unknown': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: '`pierone tags` or `scm-source`: the artifact (or its team) does not exist.',
    data: { team: 'the team given', artifact: 'the artifact given' },
  },
  'pierone.tag-unknown': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: '`pierone scm-source TEAM ARTIFACT TAG...`: a tag given does not exist for the artifact.',
    data: { team: 'the team given', artifact: 'the artifact given', tags: 'the tags that do not exist' },
  },
} satisfies MessageCatalog;

declare module '@stups/core/io/message-codes' {
  interface MessageCodes extends CliKitCodes, CodesOf<typeof PIERONE_CLI_MESSAGES> {}
}

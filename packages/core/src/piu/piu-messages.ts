import { EXIT } from '../errors.js';
import type { CodesOf } from '../io/message-codes.js';
import type { MessageCatalog } from '../io/messages.js';

/** What `piu` tells the person at the terminal (results on stdout, the rest on stderr). */
export const PIU_MESSAGES = {
  'piu.request-start': {
    level: 'info',
    description: 'An access request is being sent to even: which host, via which bastion, for which user.',
  },
  'piu.request-granted': {
    level: 'result',
    description: "even's answer to a granted request (`Access to host … was granted.`).",
    data: { expires: 'when the access ends' },
  },
  'piu.request-expires': {
    level: 'info',
    description: 'When the granted access ends (even: created + lifetime).',
    data: { expires: 'ISO-8601 UTC' },
  },
  'piu.ssh-command': { level: 'info', description: 'The line before the SSH command to run.' },
  'piu.ssh-command-line': {
    level: 'result',
    description: 'The SSH command that reaches the host (bastion as jump host, tunnel, or direct).',
    data: { argv: 'the command as a list of words' },
  },
  'piu.no-public-key': {
    level: 'warn',
    description: 'No SSH public key was found where OpenSSH keeps them; says where it looked and how to make one.',
  },
  'piu.eic-start': { level: 'info', description: 'EC2 Instance Connect: the key is being pushed to the host.' },
  'piu.eic-granted': {
    level: 'info',
    description: 'EC2 Instance Connect: the keys were pushed; they work for 60 seconds.',
    data: { until: 'ISO-8601 UTC', bastion: 'instance id', remote: 'instance id of the target, if any' },
  },
  'piu.odd-host-autodetect-failed': {
    level: 'debug',
    description: 'Looking up the odd-<region> record in Route53 failed; the configured odd host is used.',
  },
  'piu.bad-answer': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'even answered with something other than JSON, naming the URL.',
  },
  'piu.forbidden': {
    level: 'error',
    exitCode: EXIT.AUTH,
    description: 'even answered 403: the user may not get access to that host (team, or hostname template).',
  },
  'piu.unauthorized': {
    level: 'error',
    exitCode: EXIT.AUTH,
    description: 'even answered 401: the token was refused (re-acquired once before this is raised).',
  },
  'piu.rejected': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: "even answered 400: the request is malformed (host, user, reason, lifetime), in even's words.",
  },
  'piu.request-failed': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'even could not grant access (e.g. "SSH command failed"), naming the status and even\'s URL.',
  },
  'piu.eic-failed': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'EC2 Instance Connect did not accept the public key for an instance.',
  },
  'piu.instance-not-found': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'No running EC2 instance has the given address (EC2 Instance Connect or --check).',
  },
  'piu.odd-not-found': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'No odd bastion instance found in the account for EC2 Instance Connect.',
  },
  'piu.odd-unresolvable': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'The odd host name does not resolve.',
  },
  'piu.invalid-host': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: "A host name or address that does not match the even spec's pattern.",
  },
  'piu.invalid-lifetime': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'A lifetime outside 1..525600 minutes (refused, never lowered).',
  },
  'piu.invalid-tunnel': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: '--tunnel is not localPort:remotePort.',
  },
  'piu.invalid-user': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: "A user name that does not match the even spec's pattern.",
  },
  'piu.missing-reason': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'No reason given: every access request records one.',
  },
  'piu.no-user': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'No user name given and none could be found ($USER, piu.yaml).',
  },
  'piu.invalid-public-key': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'The SSH public key file is not a valid public key.',
  },
  'piu.local-even-off': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description:
      'The local platform runs without even (`stups-local up` found no OpenSSH; it exports STUPS_LOCAL_EVEN=off); the hint names the install command.',
  },
  'piu.eic-no-odd-host': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'EC2 Instance Connect without an odd host (-O/--odd-host, ODD_HOST).',
  },
} satisfies MessageCatalog;

declare module '../io/message-codes.js' {
  interface MessageCodes extends CodesOf<typeof PIU_MESSAGES> {}
}

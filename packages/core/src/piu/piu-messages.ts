import type { MessageCatalog } from '../io/messages.js';

/** What `piu` tells the person at the terminal (results on stdout, the rest on stderr). */
export const PIU_MESSAGES: MessageCatalog = {
  'piu.request.start': {
    level: 'info',
    description: 'An access request is being sent to even: which host, via which bastion, for which user.',
  },
  'piu.request.granted': {
    level: 'result',
    description: "even's answer to a granted request (`Access to host … was granted.`).",
    data: { expires: 'when the access ends' },
  },
  'piu.request.expires': {
    level: 'info',
    description: 'When the granted access ends (even: created + lifetime).',
    data: { expires: 'ISO-8601 UTC' },
  },
  'piu.ssh.command': { level: 'info', description: 'The line before the SSH command to run.' },
  'piu.ssh.command-line': {
    level: 'result',
    description: 'The SSH command that reaches the host (bastion as jump host, tunnel, or direct).',
    data: { argv: 'the command as a list of words' },
  },
  'piu.no-public-key': {
    level: 'warn',
    description: 'No SSH public key was found where OpenSSH keeps them; says where it looked and how to make one.',
  },
  'piu.eic.start': { level: 'info', description: 'EC2 Instance Connect: the key is being pushed to the host.' },
  'piu.eic.granted': {
    level: 'info',
    description: 'EC2 Instance Connect: the keys were pushed; they work for 60 seconds.',
    data: { until: 'ISO-8601 UTC', bastion: 'instance id', remote: 'instance id of the target, if any' },
  },
  'piu.odd-host.autodetect-failed': {
    level: 'debug',
    description: 'Looking up the odd-<region> record in Route53 failed; the configured odd host is used.',
  },
};

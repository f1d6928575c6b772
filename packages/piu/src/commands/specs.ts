import { arg, commandShape, flag, int, outputOption, type RunOf, text } from '@stups/cli-kit';
import { ACCESS_STATUSES, LIFETIME_MINUTES } from '@stups/core/piu';

const configFile = () =>
  text('-c, --config-file <PATH>', 'piu.yaml to read and remember settings in (default ~/.config/piu/piu.yaml)', {
    file: ['yaml', 'yml'],
  });
const region = () => text('--region <AWS_REGION_ID>', 'AWS region ID, e.g. eu-west-1', { env: 'AWS_DEFAULT_REGION' });
const evenUrl = () => text('-E, --even-url <URI>', 'even SSH access granting service URL', { env: 'EVEN_URL' });
const oddHost = () => text('-O, --odd-host <HOSTNAME>', 'odd SSH bastion hostname', { env: 'ODD_HOST' });

export const requestAccessShape = commandShape({
  args: [
    arg('[HOST]', "host to reach, as HOST or USER@HOST (the default user: zign's, else your login name)"),
    arg('[REASON...]', 'why you need access (recorded in the audit log)'),
  ] as const,
  options: {
    evenUrl: evenUrl(),
    oddHost: oddHost(),
    lifetime: int(
      '-t, --lifetime <MINUTES>',
      `lifetime of the access in minutes (${LIFETIME_MINUTES.min}-${LIFETIME_MINUTES.max}; even's default is 60)`,
      { ...LIFETIME_MINUTES, message: `Lifetime must be ${LIFETIME_MINUTES.min} to ${LIFETIME_MINUTES.max} minutes` },
    ),
    interactive: flag('--interactive', 'choose the instance from a list of running EC2 instances', {
      env: 'PIU_INTERACTIVE',
    }),
    connect: flag('--connect', 'run the SSH command once access is granted', { env: 'PIU_CONNECT' }),
    tunnel: text('--tunnel <LOCALPORT:REMOTEPORT>', 'open an SSH tunnel to the host (implies running SSH)', {
      env: 'PIU_TUNNEL',
    }),
    checkOn: flag('--check', 'verify that a 172.31.x.x host is a running EC2 instance (the default)'),
    // With --check declared too, commander leaves the pair unset when neither is given: on by default.
    check: {
      ...flag('--no-check', 'do not verify the host against EC2 (env: PIU_CHECK_INSTANCE=false)'),
      absent: true,
    },
    region: region(),
    sshPublicKey: text(
      '-i, --ssh-public-key <PATH>',
      'your SSH public key (default ~/.ssh/id_ed25519.pub, id_ecdsa.pub, id_rsa.pub)',
      { file: ['pub'] },
    ),
    eic: flag('--eic', 'use EC2 Instance Connect instead of even (the key is pushed for 60 seconds)', {
      env: 'PIU_EIC',
    }),
    sshConfig: text('--ssh-config <FILE>', 'ssh -F FILE for the printed command (stups-local exports one)', {
      env: 'PIU_SSH_CONFIG',
      file: true,
    }),
    configFile: configFile(),
  },
});
export type RequestAccessRun = RunOf<typeof requestAccessShape>;

export const listAccessRequestsShape = commandShape({
  args: [] as const,
  options: {
    user: text('-u, --user <NAME>', 'only requests for this user ("*" for all)'),
    oddHost: text('-O, --odd-host <HOSTNAME>', 'only requests to this bastion ("*" for all; default: your odd host)', {
      env: 'ODD_HOST',
    }),
    status: text('-s, --status <STATUS>', `only requests in this status (${ACCESS_STATUSES.join(', ')})`),
    limit: int('-l, --limit <N>', 'show at most N requests', { min: 1, max: 100000 }, { default: 20 }),
    offset: int('--offset <N>', 'skip the N newest requests', { min: 0, max: 100000000 }, { default: 0 }),
    mine: flag('--mine', 'only your own granted requests, with when they expire'),
    output: outputOption(),
    evenUrl: evenUrl(),
    region: region(),
    configFile: configFile(),
  },
});
export type ListAccessRequestsRun = RunOf<typeof listAccessRequestsShape>;

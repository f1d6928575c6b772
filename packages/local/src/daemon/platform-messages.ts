import { EXIT } from '@stups/core/errors';
import type { MessageCatalog } from '@stups/core/io';
import type { CodesOf } from '@stups/core/io/message-codes';

/** The platform: `up`, `down`, `status` and `env` over the services, the state directory, the daemon. */
export const PLATFORM_MESSAGES = {
  'local.environment': {
    level: 'result',
    description:
      'The export lines of every service (`export AWS_ENDPOINT_URL=…`): what `eval "$(stups-local up)"` reads.',
    data: { environment: 'the exported variables, name to value' },
  },
  'local.lock-wait': {
    level: 'info',
    description: 'Waiting for another stups-local command (PID …) on ….. (another `up` or `down` holds the lock)',
    data: { pid: 'the PID holding the lock', stateDir: 'the state directory' },
  },
  'local.up-already-running': {
    level: 'info',
    description: 'stups-local already runs at … (PID …). `up` starts nothing and prints the exports.',
    data: { endpoint: "the first service's endpoint", pid: "the daemon's PID" },
  },
  'local.up-options-ignored': {
    level: 'warn',
    description:
      '`up --port`/`--runtime` on a platform that already runs with other ones: … not applied: they take effect when the platform starts (stups-local down, then up with them).',
    data: { ignored: 'the options not applied, as given (`--port 5000`, `--runtime none`)' },
  },
  'local.up-other-region': {
    level: 'info',
    description: '`up --region` names another region than the one the platform runs in; it keeps running unchanged.',
    data: { stateDir: 'the state directory', region: "the running platform's region" },
  },
  'local.up-restarting': {
    level: 'info',
    description: 'stups-local in … is broken (…); restarting it. (on the same ports while they are free)',
    data: { stateDir: 'the state directory' },
  },
  'local.up-starting': {
    level: 'info',
    description: 'Starting stups-local (state in …): the services.. before the daemon starts them.',
    data: { services: 'the names of the services, in start order', stateDir: 'the state directory' },
  },
  'local.up-started': {
    level: 'info',
    description:
      'stups-local is up, region …: then one line per service that runs (what, where), once every service serves.',
    data: { endpoints: 'service name to endpoint', region: 'the region', pid: "the daemon's PID" },
  },
  'local.up-off': {
    level: 'info',
    description:
      '… off: why. Turn it on: command. One line per optional service that runs nothing (even without OpenSSH, the runtime without a Docker engine).',
    data: { service: 'the service', why: 'why it is off', enable: 'the command that turns it on' },
  },
  'local.down-not-running': {
    level: 'info',
    description: '`down` found nothing running (exit 0).',
    data: { stateDir: 'the state directory' },
  },
  'local.down-record-deleted': {
    level: 'info',
    description: 'The record in … was deleted while stups-local ran; stopping it (…)..',
    data: { stateDir: 'the state directory', pids: 'the processes stopped (label, pid)' },
  },
  'local.down-stale-record': {
    level: 'info',
    description: 'The recorded PID is not the platform (any more): `down` removes the stale record, signals nothing.',
    data: { stateDir: 'the state directory', pid: 'the recorded PID' },
  },
  'local.down-state-dir-deleted': {
    level: 'info',
    description: 'The state directory … was deleted while stups-local ran; stopping it (…)..',
    data: { stateDir: 'the state directory', pids: 'the processes stopped (label, pid)' },
  },
  'local.down-stopped': { level: 'info', description: 'stups-local stopped.' },
  'local.down-stopping': {
    level: 'info',
    description: 'Stopping stups-local (platform PID …, moto PID …)..',
    data: { pids: 'the processes stopped (label, pid)' },
  },
  'local.status-broken': {
    level: 'result',
    description: '`status`, after the table: a part does not run or answer; restart with `stups-local up` (exit 1).',
    data: { stateDir: 'the state directory' },
  },
  'local.status-not-running': {
    level: 'result',
    description: '`status`: nothing runs for the state directory, or its recorded PID is another process (exit 1).',
    data: { stateDir: 'the state directory', pid: 'the stale recorded PID, if any' },
  },
  'local.status-orphaned': {
    level: 'result',
    description: '`status`, after the table: the platform runs but its state directory or record was deleted (exit 1).',
    data: { pid: "the daemon's PID", stateDir: 'the state directory' },
  },
  'local.status-table': {
    level: 'result',
    description:
      '`status`: one row per part (endpoint, PID, running / NOT RUNNING / NOT ANSWERING), region, since, state.',
    data: {
      state: 'running, broken or orphaned',
      parts: 'per part: label, endpoint, pid, state',
      off: 'per service that is off: service, why, enable (the command that turns it on)',
      region: 'the region',
      since: 'when the platform started (ISO-8601)',
      stateDir: 'the state directory',
    },
  },
  'local.broken': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: '`env`: stups-local in … is broken (…); the hint says how to restart it.',
  },
  'local.not-running': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: '`env`: stups-local is not running (state directory …); the hint says how to start it.',
  },
  'local.port-taken': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: "Port … on 127.0.0.1 is already in use (`up --port`, or a service's own port).",
  },
  'local.start-failed': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description:
      'The platform daemon exited during start-up without saying why; see platform.log in the state directory.',
  },
  'local.start-timeout': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'The platform daemon did not come up in time.',
  },
  'local.state-dir-unsafe': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'The state directory is not a directory owned by this user (a symlink, another owner).',
  },
  'local.state-locked': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: "Another stups-local command held the state directory's lock for too long.",
  },
  'local.stop-failed': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'A process of the platform did not exit after SIGKILL.',
  },
} satisfies MessageCatalog;

declare module '@stups/core/io/message-codes' {
  interface MessageCodes extends CodesOf<typeof PLATFORM_MESSAGES> {}
}

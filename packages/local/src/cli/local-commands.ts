import {
  type CliContext,
  choice,
  commandShape,
  defineCommand,
  InvalidArgumentError,
  intRange,
  text,
} from '@stups/cli-kit';
import { RUNTIME_CHOICES, SERVICE_NAMES } from '../contract/platform-service.js';

/**
 * stups-local's commands, declared as data; each loads the platform code only when it runs. A service
 * that needs a flag of its own adds it to its command's shape here.
 */
const stateDirOption = () =>
  text('--state-dir <DIR>', 'state directory (default $XDG_STATE_HOME/stups-local or ~/.local/state/stups-local)', {
    env: 'STUPS_LOCAL_STATE_DIR',
    file: 'directory',
  });

const stateDirOf = async (option: string | undefined, cli: CliContext) =>
  (await import('../daemon/platform-state.js')).resolveStateDir(option, cli.env);
const platformCommands = () => import('../daemon/platform-commands.js');

const upShape = commandShape({
  args: [],
  options: {
    stateDir: stateDirOption(),
    region: text('--region <REGION>', 'AWS region of the platform', { default: 'eu-central-1' }),
    port: {
      flags: '--port <PORT>',
      description: `loopback port of the AWS layer, or SERVICE=PORT for another service (${SERVICE_NAMES.join(', ')}); repeatable (default: the last run's while free, else a free one)`,
      parse: servicePort,
      absent: {},
    },
    runtime: choice(
      '--runtime <ENGINE>',
      "Docker engine that runs the stacks' containers: user (DOCKER_HOST or /var/run/docker.sock), private (a dockerd of stups-local's own, needs root), none",
      RUNTIME_CHOICES,
      'user',
    ),
  },
});
const portNumber = intRange(1, 65535, 'a port is a number from 1 to 65535');

/** `--port 4567` (the AWS layer) or `--port pierone=5000`, added to the ports given before. */
function servicePort(value: string, previous: Record<string, number> | undefined): Record<string, number> {
  const m = /^(?:([a-z]+)=)?(.*)$/.exec(value) as RegExpExecArray;
  const name = m[1] ?? 'aws';
  if (!(SERVICE_NAMES as readonly string[]).includes(name)) {
    throw new InvalidArgumentError(`unknown service '${name}' (one of: ${SERVICE_NAMES.join(', ')})`);
  }
  return { ...previous, [name]: portNumber(m[2] as string) };
}

const stateOnlyShape = commandShape({ args: [], options: { stateDir: stateDirOption() } });

export const LOCAL_COMMANDS = [
  defineCommand({
    name: 'up',
    summary: 'start the platform (or restart what died), seed the account, print the environment',
    ...upShape,
    load: async () => {
      const { upCommand } = await platformCommands();
      return {
        run: async (_args, options, cli) =>
          upCommand(
            await stateDirOf(options.stateDir, cli),
            {
              region: options.region,
              ports: options.port,
              runtime: options.runtime,
            },
            cli.host,
          ),
      };
    },
  }),
  defineCommand({
    name: 'down',
    summary: 'stop everything `up` started, by PID (the emulated AWS is kept for the next up)',
    ...stateOnlyShape,
    load: async () => {
      const { downCommand } = await platformCommands();
      return { run: async (_args, options, cli) => downCommand(await stateDirOf(options.stateDir, cli), cli.host) };
    },
  }),
  defineCommand({
    name: 'status',
    summary: 'what runs where; exit 1 when the platform is not running or broken',
    ...stateOnlyShape,
    load: async () => {
      const { statusCommand } = await platformCommands();
      return { run: async (_args, options, cli) => statusCommand(await stateDirOf(options.stateDir, cli), cli.host) };
    },
  }),
  defineCommand({
    name: 'env',
    summary: 'print the environment of the running platform (export lines)',
    ...stateOnlyShape,
    load: async () => {
      const { envCommand } = await platformCommands();
      return { run: async (_args, options, cli) => envCommand(await stateDirOf(options.stateDir, cli), cli.host) };
    },
  }),
];

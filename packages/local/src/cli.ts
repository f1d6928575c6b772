#!/usr/bin/env node
import { describeError } from '@stups/core';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import {
  type CommandStreams,
  downCommand,
  envCommand,
  statusCommand,
  upCommand,
} from './platform/platform-commands.js';
import { resolveStateDir } from './platform/platform-state.js';

/**
 * stups-local: the STUPS platform on one machine. `up` starts the platform's services (today moto behind
 * the AWS-correcting layer) as a background process and prints the environment for the CLIs
 * (`eval "$(stups-local up)"`); `down` stops it by PID. Results on stdout, progress and errors on stderr.
 */
interface GlobalOptions {
  stateDir?: string;
}

const streams: CommandStreams = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('a port is a number from 1 to 65535');
  return n;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('stups-local')
    .description(
      'The STUPS platform on one machine: moto-backed AWS behind an AWS-correcting layer, an OpenID Connect provider, and even with a real sshd bastion.',
    )
    .option(
      '--state-dir <dir>',
      'state directory (env STUPS_LOCAL_STATE_DIR; default $XDG_STATE_HOME/stups-local or ~/.local/state/stups-local)',
    )
    .option('--debug', 'show stack traces of errors')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

  let code = 0;
  const stateDirOf = () => resolveStateDir((program.opts() as GlobalOptions).stateDir);

  program
    .command('up')
    .description('start the platform (or restart what died), seed the account, print the environment')
    .option('--region <region>', 'AWS region of the platform', 'eu-central-1')
    .option('--port <port>', 'loopback port of the AWS layer (default: the previous one, else a free one)', parsePort)
    .action(async (opts: { region: string; port?: number }) => {
      code = await upCommand(stateDirOf(), opts, streams);
    });
  program
    .command('down')
    .description('stop everything `up` started, by PID')
    .action(async () => {
      code = await downCommand(stateDirOf(), streams);
    });
  program
    .command('status')
    .description('what runs where; exit 1 when the platform is not running or broken')
    .action(async () => {
      code = await statusCommand(stateDirOf(), streams);
    });
  program
    .command('env')
    .description('print the environment of the running platform (export lines)')
    .action(async () => {
      code = await envCommand(stateDirOf(), streams);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      return 2;
    }
    const report = describeError(e);
    process.stderr.write(`Error: ${report.message}\n`);
    if (report.hint) process.stderr.write(`Hint: ${report.hint}\n`);
    if (argv.includes('--debug') && report.stack) process.stderr.write(`${report.stack}\n`);
    return report.exitCode;
  }
}

main(process.argv.slice(2)).then((exitCode) => {
  process.exitCode = exitCode;
});

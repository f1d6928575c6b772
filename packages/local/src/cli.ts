#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describeError, OperationError, StupsError } from '@stups/core';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { isRunning, MOTO_PID_FILE, stopMotoByPidFile } from './aws/moto-server.js';
import {
  exportLines,
  hasRunFiles,
  PLATFORM_ERROR_FILE,
  PLATFORM_LOG_FILE,
  readFailure,
  readPlatform,
  removeRunFiles,
  resolveStateDir,
  runningPlatform,
} from './platform/platform-state.js';

/**
 * stups-local: the STUPS platform on one machine. `up` starts moto behind the AWS-correcting layer as a
 * background process and prints the environment for the CLIs (`eval "$(stups-local up)"`); `down` stops
 * it by PID. Results on stdout, progress and errors on stderr.
 */
const DAEMON = fileURLToPath(new URL('./platform/platform-daemon.js', import.meta.url));
const READY_TIMEOUT_MS = 90_000;

interface GlobalOptions {
  stateDir?: string;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('a port is a number from 1 to 65535');
  return n;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('stups-local')
    .description('The STUPS platform on one machine: moto-backed AWS behind an AWS-correcting layer.')
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
    .description('start moto and the AWS-correcting layer, seed the account, print the environment')
    .option('--region <region>', 'AWS region of the platform', 'eu-central-1')
    .option('--port <port>', 'loopback port of the layer (default: a free one)', parsePort)
    .action(async (opts: { region: string; port?: number }) => {
      code = await up(stateDirOf(), opts.region, opts.port);
    });
  program
    .command('down')
    .description('stop everything `up` started, by PID')
    .action(async () => {
      code = await down(stateDirOf());
    });
  program
    .command('status')
    .description('what runs where; exit 1 when the platform is not running')
    .action(() => {
      code = status(stateDirOf());
    });
  program
    .command('env')
    .description('print the environment of the running platform (export lines)')
    .action(() => {
      const record = runningPlatform(stateDirOf());
      if (!record) throw notRunning(stateDirOf());
      process.stdout.write(exportLines(record));
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

function notRunning(stateDir: string): OperationError {
  return new OperationError(`stups-local is not running (state directory ${stateDir})`, {
    code: 'local.not-running',
    hint: 'Start it with: eval "$(stups-local up)"',
  });
}

async function up(stateDir: string, region: string, port: number | undefined): Promise<number> {
  const running = runningPlatform(stateDir);
  if (running) {
    if (running.region !== region) {
      process.stderr.write(
        `stups-local already runs in ${stateDir} with region ${running.region}; stop it first to change the region.\n`,
      );
    } else process.stderr.write(`stups-local already runs at ${running.endpoint} (PID ${running.pid}).\n`);
    process.stdout.write(exportLines(running));
    return 0;
  }
  await mkdir(stateDir, { recursive: true });
  if (hasRunFiles(stateDir)) await cleanUp(stateDir);
  await rm(join(stateDir, PLATFORM_ERROR_FILE), { force: true });

  process.stderr.write(`Starting moto and the AWS-correcting layer (state in ${stateDir})..\n`);
  const args = [DAEMON, '--state-dir', stateDir, '--region', region];
  if (port) args.push('--port', String(port));
  const log = openSync(join(stateDir, PLATFORM_LOG_FILE), 'a');
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  closeSync(log);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  child.on('error', () => {
    exited = true;
  });
  child.unref();

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const record = readPlatform(stateDir);
    if (record && record.pid === child.pid) {
      process.stderr.write(
        `stups-local is up: AWS at ${record.endpoint} (moto at ${record.motoEndpoint}), region ${record.region}.\n`,
      );
      process.stdout.write(exportLines(record));
      return 0;
    }
    if (exited || (child.pid !== undefined && !isRunning(child.pid))) {
      const failure = readFailure(stateDir);
      if (failure) throw new StupsError(failure.code, failure.exitCode as 1, failure.message, { hint: failure.hint });
      throw new OperationError(`The stups-local platform process exited during start-up`, {
        code: 'local.start-failed',
        hint: `See ${join(stateDir, PLATFORM_LOG_FILE)}.`,
      });
    }
    if (Date.now() > deadline) {
      if (child.pid) await stopPid(child.pid);
      await cleanUp(stateDir);
      throw new OperationError(`The stups-local platform did not come up within ${READY_TIMEOUT_MS / 1000} s`, {
        code: 'local.start-timeout',
        hint: `See ${join(stateDir, PLATFORM_LOG_FILE)}.`,
      });
    }
    await sleep(100);
  }
}

async function down(stateDir: string): Promise<number> {
  const record = readPlatform(stateDir);
  const alive = record && isRunning(record.pid) && isPlatformDaemon(record.pid);
  if (!alive && !hasRunFiles(stateDir)) {
    process.stderr.write(`stups-local is not running (state directory ${stateDir}).\n`);
    return 0;
  }
  if (alive && record) {
    process.stderr.write(`Stopping stups-local (platform PID ${record.pid}, moto PID ${record.motoPid})..\n`);
    await stopPid(record.pid);
  }
  await cleanUp(stateDir);
  process.stderr.write('stups-local stopped.\n');
  return 0;
}

/** Stops what a dead or stale platform left behind (moto, by its PID file) and removes the run files. */
async function cleanUp(stateDir: string): Promise<void> {
  if (existsSync(join(stateDir, MOTO_PID_FILE))) await stopMotoByPidFile(stateDir);
  await removeRunFiles(stateDir);
}

function status(stateDir: string): number {
  const record = runningPlatform(stateDir);
  if (!record) {
    process.stdout.write(`stups-local is not running (state directory ${stateDir})\n`);
    return 1;
  }
  const moto = isRunning(record.motoPid) ? 'running' : 'NOT RUNNING';
  const rows: [string, string][] = [
    ['layer', `${record.endpoint}  PID ${record.pid}  running`],
    ['moto', `${record.motoEndpoint}  PID ${record.motoPid}  ${moto}`],
    ['region', record.region],
    ['since', record.startedAt],
    ['state', stateDir],
  ];
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(7)}${v}\n`);
  return moto === 'running' ? 0 : 1;
}

function isPlatformDaemon(pid: number): boolean {
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return true;
  try {
    return readFileSync(cmdline, 'utf8').includes('platform-daemon');
  } catch {
    return false;
  }
}

async function stopPid(pid: number): Promise<void> {
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(pid, s);
      return true;
    } catch {
      return false;
    }
  };
  if (!signal('SIGTERM')) return;
  for (let waited = 0; waited < 10_000; waited += 50) {
    if (!isRunning(pid)) return;
    await sleep(50);
  }
  signal('SIGKILL');
  for (let waited = 0; waited < 5_000; waited += 50) {
    if (!isRunning(pid)) return;
    await sleep(50);
  }
}

main(process.argv.slice(2)).then((exitCode) => {
  process.exitCode = exitCode;
});

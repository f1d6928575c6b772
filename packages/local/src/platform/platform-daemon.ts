#!/usr/bin/env node
import { join } from 'node:path';
import { describeError } from '@stups/core';
import { startPlatform } from './platform.js';
import {
  ENDPOINT_FILE,
  PLATFORM_ERROR_FILE,
  PLATFORM_FILE,
  PLATFORM_PID_FILE,
  type PlatformRecord,
  removeRunFiles,
  writeAtomically,
} from './platform-state.js';

/**
 * The background process `stups-local up` leaves running: moto and the AWS-correcting layer. It
 * records itself in the state directory once it serves, and on SIGTERM stops moto, removes its files
 * and exits. Arguments: --state-dir DIR [--region R] [--port N].
 */
async function main(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const stateDir = arg('--state-dir');
  if (!stateDir) throw new Error('--state-dir is required');
  const region = arg('--region') ?? 'eu-central-1';
  const port = Number(arg('--port') ?? 0);
  try {
    const platform = await startPlatform({ stateDir, region, port });
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      try {
        await platform.stop();
      } finally {
        await removeRunFiles(stateDir);
        process.exit(0);
      }
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.on('SIGHUP', () => undefined);
    const record: PlatformRecord = {
      pid: process.pid,
      endpoint: platform.endpoint,
      port: platform.port,
      motoEndpoint: platform.motoEndpoint,
      motoPid: platform.motoPid,
      region,
      startedAt: new Date().toISOString(),
    };
    await writeAtomically(join(stateDir, PLATFORM_PID_FILE), `${process.pid}\n`);
    await writeAtomically(join(stateDir, ENDPOINT_FILE), `${platform.endpoint}\n`);
    // Written last: its presence tells `up` the platform serves.
    await writeAtomically(join(stateDir, PLATFORM_FILE), `${JSON.stringify(record, null, 2)}\n`);
  } catch (e) {
    const report = describeError(e);
    await writeAtomically(
      join(stateDir, PLATFORM_ERROR_FILE),
      JSON.stringify({ code: report.code, message: report.message, hint: report.hint, exitCode: report.exitCode }),
    );
    process.stderr.write(`${report.message}\n`);
    process.exit(report.exitCode || 1);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});

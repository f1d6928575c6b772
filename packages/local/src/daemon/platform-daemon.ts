#!/usr/bin/env node
import '@stups/cli-kit/node-support';
import { resolve } from 'node:path';
import { describeError } from '@stups/core';
import type { PlatformLinks } from '../contract/links.js';
import { PLATFORM_TOKEN_ENV } from '../contract/own-process.js';
import { RUNTIME_CHOICES, type RunningService } from '../contract/platform-service.js';
import { type PlatformRecord, removeRunFiles, writeFailure, writePlatform } from './platform-state.js';
import { PLATFORM_SERVICES } from './services.js';

/**
 * The background process `stups-local up` leaves running: it starts every platform service in order,
 * records them once all serve, and on SIGTERM stops them in reverse, removes its files and exits.
 * Arguments: --state-dir DIR [--region R] [--runtime user|private|none] [--port NAME=N]…; the token comes in STUPS_LOCAL_TOKEN.
 */
async function main(argv: string[]): Promise<void> {
  const values = (name: string) => argv.flatMap((a, i) => (a === name && argv[i + 1] ? [argv[i + 1] as string] : []));
  const stateDir = values('--state-dir')[0];
  if (!stateDir) throw new Error('--state-dir is required');
  const region = values('--region')[0] ?? 'eu-central-1';
  const runtime = RUNTIME_CHOICES.find((c) => c === values('--runtime')[0]) ?? 'user';
  const ports = Object.fromEntries(
    values('--port').map((v) => [v.slice(0, v.indexOf('=')), Number(v.slice(v.indexOf('=') + 1))]),
  );
  const token = process.env[PLATFORM_TOKEN_ENV] ?? '';

  const started: RunningService[] = [];
  const links: PlatformLinks = {};
  let stopping = false;
  const stopAll = async () => {
    for (const service of [...started].reverse()) {
      try {
        await service.stop();
      } catch (e) {
        process.stderr.write(`stopping ${service.record.name}: ${describeError(e).message}\n`);
      }
    }
  };
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    try {
      await stopAll();
    } finally {
      removeRunFiles(stateDir, process.pid);
      process.exit(0);
    }
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGHUP', () => undefined);

  try {
    for (const service of PLATFORM_SERVICES) {
      const environment = Object.assign({}, ...started.map((s) => s.record.environment));
      started.push(
        await service.start({
          stateDir,
          region,
          port: ports[service.name] || undefined,
          environment,
          links,
          runtime,
        }),
      );
      if (stopping) return;
    }
    const record: PlatformRecord = {
      pid: process.pid,
      token,
      stateDir: resolve(stateDir),
      region,
      startedAt: new Date().toISOString(),
      services: started.map((s) => s.record),
    };
    writePlatform(record);
  } catch (e) {
    await stopAll();
    const report = describeError(e);
    writeFailure(stateDir, {
      code: report.code,
      message: report.message,
      hint: report.hint,
      exitCode: report.exitCode,
    });
    process.stderr.write(`${report.message}\n`);
    process.exit(report.exitCode || 1);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});

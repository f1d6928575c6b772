import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTopicCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { OperationError } from '@stups/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRunning } from '../contract/own-process.js';
import { type MotoServer, startMoto, stopMotoByPidFile } from './moto-server.js';

const dirs: string[] = [];
const started: MotoServer[] = [];

async function stateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'stups-moto-test-'));
  dirs.push(dir);
  return dir;
}

function sns(endpoint: string): SNSClient {
  return new SNSClient({
    region: 'eu-central-1',
    endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
  });
}

describe('moto server', () => {
  let moto: MotoServer;

  beforeAll(async () => {
    moto = await startMoto({ stateDir: await stateDir() });
    started.push(moto);
  });

  afterAll(async () => {
    for (const m of started) await m.stop();
    for (const m of started) expect(isRunning(m.pid)).toBe(false);
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('runs on an ephemeral loopback port and records pid, port and log in the state directory', async () => {
    expect(moto.endpoint).toBe(`http://127.0.0.1:${moto.port}`);
    expect(moto.port).toBeGreaterThan(1024);
    expect(isRunning(moto.pid)).toBe(true);
    expect((await readFile(join(moto.stateDir, 'moto.pid'), 'utf8')).trim()).toBe(String(moto.pid));
    expect((await readFile(join(moto.stateDir, 'moto.port'), 'utf8')).trim()).toBe(String(moto.port));
    expect(existsSync(join(moto.stateDir, 'moto.log'))).toBe(true);
    const res = await fetch(`${moto.endpoint}/moto-api/config`);
    expect(res.status).toBeLessThan(300);
  });

  it('serves AWS APIs to the SDK and forgets everything on reset', async () => {
    const client = sns(moto.endpoint);
    try {
      await client.send(new CreateTopicCommand({ Name: 'reset-me' }));
      expect((await client.send(new ListTopicsCommand({}))).Topics).toHaveLength(1);
      await moto.reset();
      expect((await client.send(new ListTopicsCommand({}))).Topics ?? []).toHaveLength(0);
    } finally {
      client.destroy();
    }
  });

  it('starts a second server on another port next to the first', async () => {
    const other = await startMoto({ stateDir: await stateDir() });
    started.push(other);
    expect(other.port).not.toBe(moto.port);
    expect(other.pid).not.toBe(moto.pid);
    await other.stop();
    expect(isRunning(other.pid)).toBe(false);
    expect(existsSync(join(other.stateDir, 'moto.pid'))).toBe(false);
  });

  it('stops a server by its PID file, as another process would', async () => {
    const dir = await stateDir();
    const other = await startMoto({ stateDir: dir });
    started.push(other);
    expect(await stopMotoByPidFile(dir)).toBe(true);
    expect(isRunning(other.pid)).toBe(false);
    expect(existsSync(join(dir, 'moto.pid'))).toBe(false);
    expect(await stopMotoByPidFile(dir)).toBe(false);
  });

  it('keeps its state in a state file: saved on SIGTERM, loaded (and the file removed) at the next start', async () => {
    const dir = await stateDir();
    const stateFile = join(dir, 'state.pickle');
    const first = await startMoto({ stateDir: dir, stateFile });
    started.push(first);
    const a = sns(first.endpoint);
    await a.send(new CreateTopicCommand({ Name: 'kept' }));
    a.destroy();
    await first.stop();
    expect(existsSync(stateFile)).toBe(true);
    const second = await startMoto({ stateDir: dir, stateFile });
    started.push(second);
    expect(existsSync(stateFile)).toBe(false);
    const b = sns(second.endpoint);
    try {
      expect((await b.send(new ListTopicsCommand({}))).Topics?.map((t) => t.TopicArn?.split(':').at(-1))).toEqual([
        'kept',
      ]);
    } finally {
      b.destroy();
    }
    await second.stop();
  });

  it('sets an unreadable state file aside and starts empty, saying so in its log', async () => {
    const dir = await stateDir();
    const stateFile = join(dir, 'state.pickle');
    await writeFile(stateFile, 'not a pickle');
    const m = await startMoto({ stateDir: dir, stateFile });
    started.push(m);
    const client = sns(m.endpoint);
    try {
      expect((await client.send(new ListTopicsCommand({}))).Topics ?? []).toEqual([]);
    } finally {
      client.destroy();
    }
    expect(await readFile(`${stateFile}.unreadable`, 'utf8')).toBe('not a pickle');
    expect(await readFile(join(dir, 'moto.log'), 'utf8')).toContain(`cannot restore the emulated AWS state`);
    await m.stop();
  });

  it('says how to install moto when moto_server is missing', async () => {
    const dir = await stateDir();
    const error = await startMoto({ stateDir: dir, command: 'moto_server_not_installed' }).catch((e) => e);
    expect(error).toBeInstanceOf(OperationError);
    expect(error.code).toBe('local.moto-missing');
    expect(error.hint).toContain("pip install 'moto[server]'");
    expect(existsSync(join(dir, 'moto.pid'))).toBe(false);
  });

  it('shows the log tail when moto dies during start-up', async () => {
    const dir = await stateDir();
    // A command that exits at once stands in for a moto that crashes while starting.
    const error = await startMoto({ stateDir: dir, command: 'false' }).catch((e) => e);
    expect(error).toBeInstanceOf(OperationError);
    expect(error.code).toBe('local.moto-start-failed');
    expect(error.message).toContain('exit code 1');
  });
});

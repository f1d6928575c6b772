import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IoHost, Message } from '../io/messages.js';
import { listAccessRequestRows, requestEvenAccess } from './piu-access.js';
import { piuUsername, resolvePiuSettings } from './piu-settings.js';

/** An even that grants every request and lists two records, newest first as even does. */
let server: Server;
let even: string;
let dir: string;
const posted: unknown[] = [];
const EXPIRES = '2030-01-01T12:00:00.000Z';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.headers.authorization !== 'Bearer tok') {
      res.writeHead(401).end('no');
      return;
    }
    if (req.method === 'POST') {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        posted.push(JSON.parse(body));
        const { reason } = JSON.parse(body) as { reason: string };
        if (reason === 'no key') {
          res
            .writeHead(400)
            .end('SSH command failed: ERROR: Failed to download public key for "jdoe" from http://even/public-keys');
          return;
        }
        if (reason === 'bastion down') {
          res.writeHead(400).end('SSH command failed: ssh: connect to host odd port 22: Connection refused');
          return;
        }
        if (reason === 'even down') {
          res.writeHead(502).end('Bad Gateway');
          return;
        }
        res
          .writeHead(200, { 'content-type': 'text/plain' })
          .end('Access to host 10.0.0.5 for user jdoe was granted.\n');
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify([
        {
          username: 'jdoe',
          hostname: 'b',
          reason: 'r',
          status: 'GRANTED',
          created: '2030-01-01T11:00:00Z',
          lifetime_minutes: 60,
          expires: EXPIRES,
        },
        {
          username: 'jdoe',
          hostname: 'a',
          reason: 'r',
          status: 'EXPIRED',
          created: '2029-01-01T11:00:00Z',
          lifetime_minutes: 60,
        },
      ]),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  even = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'piu-access-'));
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

function recorder(): IoHost & { messages: Message[] } {
  const messages: Message[] = [];
  return { messages, notify: (m: Message) => void messages.push(m) } as IoHost & { messages: Message[] };
}

const env = () => ({ HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), OAUTH2_ACCESS_TOKENS: 'piu=tok', USER: 'jdoe' });

describe('piu settings', () => {
  it('flags win over piu.yaml; the region from the flag or the environment; zign user before the login name', () => {
    const file = join(dir, 'piu.yaml');
    writeFileSync(file, 'even_url: https://even.example.org\nodd_host: odd.example.org\nssh_public_key: /k.pub\n');
    const fromFile = resolvePiuSettings({ configFile: file }, { AWS_DEFAULT_REGION: 'eu-west-1' });
    expect(fromFile).toMatchObject({
      configPath: file,
      evenUrl: 'https://even.example.org',
      region: 'eu-west-1',
      keyPath: '/k.pub',
      checkInstance: true,
    });
    expect(fromFile.config.odd_host).toBe('odd.example.org');
    expect(
      resolvePiuSettings(
        { configFile: file, evenUrl: 'https://flag.example.org', region: 'us-east-1', sshPublicKey: '/f.pub' },
        { AWS_REGION: 'eu-central-1', PIU_CHECK_INSTANCE: 'off' },
      ),
    ).toMatchObject({
      evenUrl: 'https://flag.example.org',
      region: 'us-east-1',
      keyPath: '/f.pub',
      checkInstance: false,
    });
    expect(piuUsername('root', env())).toBe('root');
    expect(piuUsername(undefined, env())).toBe('jdoe');
  });
});

describe('requestEvenAccess and listAccessRequestRows, the core actions of piu', () => {
  it('asks even, remembers the even URL and odd host, reports the expiry, returns the ssh command', async () => {
    const host = recorder();
    const configPath = join(dir, 'remembered.yaml');
    const grant = await requestEvenAccess(
      {
        evenUrl: `${even}/`,
        configPath,
        username: 'jdoe',
        hostname: '10.0.0.5',
        oddHost: 'odd.example.org',
        reason: 'debug',
        keyPath: join(dir, 'none.pub'),
      },
      { host, env: env() },
    );
    expect(posted.at(-1)).toEqual({
      username: 'jdoe',
      hostname: 'odd.example.org',
      reason: 'debug',
      remote_host: '10.0.0.5',
    });
    expect(grant.expires?.toISOString()).toBe(EXPIRES);
    expect(grant.argv).toContain('jdoe@odd.example.org');
    expect(host.messages.map((m) => m.code)).toEqual([
      'piu.request-start',
      'piu.request-granted',
      'piu.request-expires',
      'piu.no-public-key',
    ]);
    const remembered = readFileSync(configPath, 'utf8');
    expect(remembered).toContain(`even_url: ${even}`);
    expect(remembered).toContain('odd_host: odd.example.org');
  });

  it("even's failures come with a hint saying what to do, not only even's URL", async () => {
    const hintFor = async (reason: string) => {
      const request = {
        evenUrl: even,
        configPath: join(dir, 'failing.yaml'),
        username: 'jdoe',
        hostname: '10.0.0.5',
        oddHost: 'odd.example.org',
        reason,
        keyPath: join(dir, 'none.pub'),
      };
      const error = await requestEvenAccess(request, { host: recorder(), env: env() }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'piu.request-failed', exitCode: 1 });
      return (error as { hint: string }).hint;
    };
    expect(await hintFor('no key')).toMatch(/^even found no SSH public key for that user .*\(USER@HOST\)\.$/);
    expect(await hintFor('bastion down')).toBe(
      "even could not set up the access on the bastion (the text above is its SSH command's); `piu list-access-requests` shows the request as FAILED.",
    );
    expect(await hintFor('even down')).toBe(
      `even at ${even} could not handle the request; try again, and if it persists, ask the team that runs even.`,
    );
  });

  it('lists requests oldest first, with their expiry and creation time', async () => {
    const rows = await listAccessRequestRows(even, { username: 'jdoe' }, { host: recorder(), env: env() });
    expect(rows.map((r) => r.hostname)).toEqual(['a', 'b']);
    expect(rows[1]?.expires.toISOString()).toBe(EXPIRES);
    expect(rows[0]?.created_time).toBe(Date.parse('2029-01-01T11:00:00Z') / 1000);
  });
});

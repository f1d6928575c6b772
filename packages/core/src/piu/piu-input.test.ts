import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import {
  checkHostname,
  checkLifetime,
  checkReason,
  checkUsername,
  parseTunnel,
  resolveUsername,
  splitUserHost,
} from './access-request.js';
import { expiryOf, normalizeEvenUrl } from './even-client.js';
import { eicUserAgent, sanitizeReason } from './instance-connect.js';
import { accessRoute, commandLine, sshCommand } from './ssh-command.js';
import { parsePublicKey } from './ssh-public-key.js';

describe('piu input', () => {
  it('refuses names outside the even spec patterns', () => {
    expect(checkUsername('jdoe')).toBe('jdoe');
    for (const bad of ['Jdoe', '1abc', 'a'.repeat(33), 'j_doe', ''])
      expect(() => checkUsername(bad)).toThrow(UsageError);
    expect(checkHostname('odd-eu-central-1.myteam.example.org')).toBe('odd-eu-central-1.myteam.example.org');
    for (const bad of ['Host.example.org', 'a b', 'x;rm', '', 'a'.repeat(256)])
      expect(() => checkHostname(bad)).toThrow(/Invalid host name/);
  });

  it('refuses a lifetime out of 1..525600 instead of lowering it', () => {
    expect(checkLifetime(1)).toBe(1);
    expect(checkLifetime(525600)).toBe(525600);
    for (const bad of [0, 525601, 1.5, -1]) expect(() => checkLifetime(bad)).toThrow(/out of range/);
  });

  it('needs a reason and joins its words', () => {
    expect(checkReason(['fix', ' the', 'thing '])).toBe('fix  the thing');
    expect(() => checkReason([])).toThrow('Missing argument "reason".');
    expect(() => checkReason(['  '])).toThrow(UsageError);
  });

  it('takes the user from USER@HOST, else zign, else the login name', () => {
    expect(splitUserHost('a@b@host')).toEqual({ user: 'a', host: 'host' });
    expect(splitUserHost('host')).toEqual({ host: 'host' });
    expect(resolveUsername(undefined, { USER: 'login' }, 'zignuser')).toBe('zignuser');
    expect(resolveUsername(undefined, { USER: 'login' })).toBe('login');
    expect(resolveUsername('given', { USER: 'login' })).toBe('given');
    // Without $USER and $LOGNAME (containers, cron): the account's name, as the docs promise.
    expect(resolveUsername(undefined, {})).toBe(userInfo().username);
  });

  it('parses tunnels as localPort:remotePort', () => {
    expect(parseTunnel('8080:80')).toEqual({ localPort: 8080, remotePort: 80 });
    for (const bad of ['80', 'a:b', '1:2:3', '0:80', '99999:1'])
      expect(() => parseTunnel(bad)).toThrow('Tunnel needs to be in format localPort:remotePort');
  });
});

describe('access route and ssh command', () => {
  it('jumps through the bastion to a private host, never to itself, and treats odd-* as a bastion', () => {
    expect(accessRoute('172.31.1.1', 'odd.example.org')).toEqual({
      firstHost: 'odd.example.org',
      remoteHost: '172.31.1.1',
    });
    expect(accessRoute('odd.example.org', 'odd.example.org')).toEqual({ firstHost: 'odd.example.org' });
    expect(accessRoute('odd-eu-1.example.org', 'other.example.org')).toEqual({ firstHost: 'odd-eu-1.example.org' });
    expect(accessRoute('host.example.org')).toEqual({ firstHost: 'host.example.org' });
  });

  it('builds jump, direct and tunnel commands', () => {
    const route = { firstHost: 'odd', remoteHost: '172.31.1.1' };
    expect(sshCommand({ route, user: 'jdoe', forwardAgent: true })).toEqual([
      'ssh',
      '-A',
      '-J',
      'jdoe@odd',
      'jdoe@172.31.1.1',
    ]);
    expect(sshCommand({ route: { firstHost: 'odd' }, user: 'odd', sshConfig: '/s/ssh config' })).toEqual([
      'ssh',
      '-F',
      '/s/ssh config',
      'odd@odd',
    ]);
    const tunnel = sshCommand({ route, user: 'jdoe', tunnel: { localPort: 8080, remotePort: 80 } });
    expect(commandLine(tunnel)).toBe('ssh -L 8080:172.31.1.1:80 jdoe@odd');
    expect(commandLine(['ssh', '-F', "/a b/it's"])).toBe("ssh -F '/a b/it'\\''s'");
  });
});

describe('even answers and EIC audit text', () => {
  it('normalizes the even URL and computes the expiry', () => {
    expect(normalizeEvenUrl('even.example.org/')).toBe('https://even.example.org');
    expect(normalizeEvenUrl('http://127.0.0.1:1/access-requests')).toBe('http://127.0.0.1:1');
    const created = '2026-01-01T12:00:00.000Z';
    expect(
      expiryOf({ username: 'a', hostname: 'h', reason: 'r', status: 'GRANTED', lifetime_minutes: 60, created }),
    ).toEqual(new Date('2026-01-01T13:00:00.000Z'));
  });

  it('sanitizes the reason carried in the User-Agent', () => {
    expect(sanitizeReason('Fix #123: "db" down, ok; ä')).toBe('Fix ?123? ?db? down, ok; ?');
    expect(sanitizeReason('x'.repeat(2000))).toHaveLength(1000);
    expect(eicUserAgent('1.0.0', 'ticket 1')).toBe('Piu/1.0.0 (ticket 1)');
  });

  it('accepts OpenSSH public key lines only', () => {
    expect(parsePublicKey('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMq me@host\n')).toBe(
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMq',
    );
    expect(parsePublicKey('-----BEGIN OPENSSH PRIVATE KEY-----')).toBeUndefined();
    expect(parsePublicKey('ssh-rsa AAA')).toBeUndefined();
  });
});

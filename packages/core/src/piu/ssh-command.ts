import type { Tunnel } from './access-request.js';

/**
 * Where the SSH connection goes: the host even grants access on first (usually the odd bastion) and,
 * behind it, the private host. Piu's rules: no jump from a host to itself, and a target named `odd-…`
 * is taken to be a bastion itself.
 */
export interface AccessRoute {
  firstHost: string;
  remoteHost?: string;
}

export function accessRoute(hostname: string, oddHost?: string): AccessRoute {
  const firstHost = oddHost || hostname;
  if (firstHost === hostname) return { firstHost };
  if (hostname.startsWith('odd-')) return { firstHost: hostname };
  return { firstHost, remoteHost: hostname };
}

export interface SshCommandOptions {
  route: AccessRoute;
  /** The login name on the bastion and, behind it, on the private host. */
  user: string;
  /** For EC2 Instance Connect the private host's login differs (`ubuntu`); default `user`. */
  remoteUser?: string;
  tunnel?: Tunnel;
  /** `ssh -F FILE`: host names, ports and known hosts from a config file (stups-local writes one). */
  sshConfig?: string;
  /** Forward the agent (even path: piu always did; the key must reach hosts behind the bastion). */
  forwardAgent?: boolean;
}

/**
 * The OpenSSH command line (argv): the bastion as jump host (`-J`) for a private host, a local port
 * forward through the bastion for a tunnel, or a plain login on the host itself.
 */
export function sshCommand(options: SshCommandOptions): string[] {
  const { route, user, tunnel } = options;
  const argv = ['ssh'];
  if (options.sshConfig) argv.push('-F', options.sshConfig);
  if (options.forwardAgent) argv.push('-A');
  const bastion = `${user}@${route.firstHost}`;
  if (tunnel) {
    const target = route.remoteHost ?? 'localhost';
    argv.push('-L', `${tunnel.localPort}:${target}:${tunnel.remotePort}`, bastion);
  } else if (route.remoteHost) {
    argv.push('-J', bastion, `${options.remoteUser ?? user}@${route.remoteHost}`);
  } else {
    argv.push(bastion);
  }
  return argv;
}

/** A word as a POSIX shell reads it back unchanged. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:@=%+,-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** The command as one line to paste into a shell. */
export function commandLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

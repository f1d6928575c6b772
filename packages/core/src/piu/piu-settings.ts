import { resolveRegion } from '../aws/region.js';
import { loadToolConfig } from '../config/tool-config.js';
import { OperationError } from '../errors.js';
import type { IoHost } from '../io/messages.js';
import { resolveUsername } from './access-request.js';
import { findOddHost } from './odd-host.js';
import { loadPiuConfig, type PiuConfig, piuConfigPath } from './piu-config.js';

/**
 * What piu works with, resolved once: flags win over their environment variables (the CLI's option
 * specs read `EVEN_URL`, `ODD_HOST`…), which win over piu.yaml (`even_url`, `odd_host`,
 * `ssh_public_key`); the region from the flag, then `AWS_REGION`, `AWS_DEFAULT_REGION`; the user
 * name from the target, then zign's `user`, then the login name.
 */
export interface PiuFlags {
  configFile?: string;
  evenUrl?: string;
  oddHost?: string;
  region?: string;
  sshPublicKey?: string;
}

export interface PiuSettings {
  configPath: string;
  config: PiuConfig;
  /** The even URL (flag, else piu.yaml); undefined: unknown (the CLI may ask). */
  evenUrl?: string;
  /** The region named by the flag or the environment, without ~/.aws/config (where the odd host is looked up). */
  region?: string;
  /** The public key file (flag, else piu.yaml); undefined: the default files. */
  keyPath?: string;
  /** Whether `request-access` checks that a private target is a running instance (PIU_CHECK_INSTANCE). */
  checkInstance: boolean;
}

export function resolvePiuSettings(flags: PiuFlags = {}, env: NodeJS.ProcessEnv = process.env): PiuSettings {
  const configPath = piuConfigPath(env, flags.configFile);
  const config = loadPiuConfig(configPath);
  return {
    configPath,
    config,
    evenUrl: flags.evenUrl || config.even_url || undefined,
    region: flags.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined,
    keyPath: flags.sshPublicKey ?? (typeof config.ssh_public_key === 'string' ? config.ssh_public_key : undefined),
    checkInstance: !/^(false|0|no|off)$/i.test(env.PIU_CHECK_INSTANCE ?? ''),
  };
}

/** The region for AWS calls (EC2, Instance Connect): the one named, else ~/.aws/config; an error if none. */
export function piuAwsRegion(region: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolveRegion({ flag: region, env });
}

/** The user name for even: the target's `user@`, else zign's `user`, else the login name. */
export function piuUsername(user: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const zignUser = loadToolConfig('zign', env).user;
  return resolveUsername(user, env, typeof zignUser === 'string' ? zignUser : undefined);
}

/** The odd host: the flag, else the account's `odd-<region>` record, else the config (as piu 1.1). */
export async function resolveOddHost(
  flag: string | undefined,
  configured: string | undefined,
  region: string | undefined,
  host: IoHost,
): Promise<string | undefined> {
  if (flag) return flag;
  if (region) {
    try {
      const { AwsSession } = await import('../aws/aws-session.js');
      const found = await findOddHost(new AwsSession({ region, maxAttempts: 1 }));
      if (found) return found;
    } catch (e) {
      host.notify({
        level: 'debug',
        code: 'piu.odd-host-autodetect-failed',
        text: `Looking up odd-${region}.* in Route53 failed: ${(e as Error).message}`,
      });
    }
  }
  return configured;
}

/**
 * `stups-local up` exports STUPS_LOCAL_EVEN=off when it runs without even (no OpenSSH on the machine):
 * then there is no even to ask, and piu says so and how to get one, instead of asking for a URL.
 */
export function assertLocalEvenOn(env: NodeJS.ProcessEnv, evenUrlGiven: boolean): void {
  if (evenUrlGiven || env.STUPS_LOCAL_EVEN !== 'off') return;
  throw new OperationError('The local platform (stups-local) runs without even: OpenSSH is not installed there', {
    code: 'piu.local-even-off',
    hint: 'Install it (apt-get install openssh-server openssh-client), then restart the platform: stups-local down; eval "$(stups-local up)". `stups-local status` shows what is off.',
  });
}

import { lookup } from 'node:dns/promises';
import { SendSSHPublicKeyCommand } from '@aws-sdk/client-ec2-instance-connect';
import type { AwsSession } from '../aws/aws-session.js';
import { OperationError } from '../errors.js';
import { findInstanceByPrivateIp, findInstanceByPublicIp } from './ec2-instances.js';

/**
 * The EC2 Instance Connect path (piu 1.2+): instead of asking even, push the user's public key to the
 * bastion (login `odd`) and, unless tunnelling, to the private instance (login `ubuntu`) with
 * `SendSSHPublicKey`; each key is usable for 60 seconds. The reason travels, for the audit trail in
 * CloudTrail, in the User-Agent of those calls as piu 1.2.5 sent it: `Piu/<version> (<reason>)`.
 */
export const EIC_BASTION_USER = 'odd';
export const EIC_REMOTE_USER = 'ubuntu';
export const EIC_KEY_SECONDS = 60;

/** At most 1000 characters; anything but letters, digits, `_ . , ;` and spaces becomes `?` (ASCII only). */
export function sanitizeReason(reason: string): string {
  return reason.slice(0, 1000).replace(/[^.,; A-Za-z0-9_]/g, '?');
}

export function eicUserAgent(version: string, reason: string): string {
  return `Piu/${version} (${sanitizeReason(reason)})`;
}

export interface InstanceConnectRequest {
  oddHost: string;
  /** The private IP behind the bastion; none for a tunnel or a login on the bastion itself. */
  remoteHost?: string;
  publicKey: string;
  reason: string;
  piuVersion: string;
}

export interface InstanceConnectGrant {
  bastionInstanceId: string;
  remoteInstanceId?: string;
  /** When the pushed keys stop working. */
  until: Date;
}

async function addressOf(host: string): Promise<string> {
  try {
    return (await lookup(host, { family: 4 })).address;
  } catch (e) {
    throw new OperationError(`Could not resolve hostname ${host}`, {
      code: 'piu.odd-unresolvable',
      hint: 'Check the odd host name (-O/--odd-host).',
      cause: e,
    });
  }
}

async function pushKey(
  session: AwsSession,
  instance: { InstanceId?: string; Placement?: { AvailabilityZone?: string } },
  osUser: string,
  request: InstanceConnectRequest,
): Promise<void> {
  const command = new SendSSHPublicKeyCommand({
    InstanceId: instance.InstanceId,
    InstanceOSUser: osUser,
    SSHPublicKey: request.publicKey,
    AvailabilityZone: instance.Placement?.AvailabilityZone,
  });
  const userAgent = eicUserAgent(request.piuVersion, request.reason);
  command.middlewareStack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers?: Record<string, string> }).headers;
      if (headers) headers['user-agent'] = userAgent;
      return next(args);
    },
    { step: 'finalizeRequest', name: 'piuReasonUserAgent', priority: 'low' },
  );
  const answer = await session.send('ec2InstanceConnect', command, instance.InstanceId);
  if (answer?.Success === false)
    throw new OperationError(`EC2 Instance Connect did not accept the key for ${instance.InstanceId}`, {
      code: 'piu.eic-failed',
    });
}

export async function grantWithInstanceConnect(
  session: AwsSession,
  request: InstanceConnectRequest,
): Promise<InstanceConnectGrant> {
  const ip = await addressOf(request.oddHost);
  const bastion = await findInstanceByPublicIp(session, ip);
  if (!bastion?.InstanceId)
    throw new OperationError(`Failed to find odd host ${request.oddHost} in current account`, {
      code: 'piu.odd-not-found',
      hint: `No running EC2 instance has the public IP ${ip} in ${session.region}; check --region and --odd-host.`,
    });
  await pushKey(session, bastion, EIC_BASTION_USER, request);
  let remoteInstanceId: string | undefined;
  if (request.remoteHost) {
    const remote = await findInstanceByPrivateIp(session, request.remoteHost);
    if (!remote?.InstanceId)
      throw new OperationError(`No running instance found for ${request.remoteHost}`, {
        code: 'piu.instance-not-found',
        hint: `Check the private IP and --region (${session.region}).`,
      });
    await pushKey(session, remote, EIC_REMOTE_USER, request);
    remoteInstanceId = remote.InstanceId;
  }
  return {
    bastionInstanceId: bastion.InstanceId,
    remoteInstanceId,
    until: new Date(Date.now() + EIC_KEY_SECONDS * 1000),
  };
}

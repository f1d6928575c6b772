import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Ownership } from '../contract/own-process.js';
import { formatExports, type PlatformService } from '../contract/platform-service.js';
import { FAULTS_PATH } from './aws-proxy.js';
import { startPlatform } from './local-aws.js';
import { MOTO_PORT_FILE, stopMotoByPidFile } from './moto-server.js';

/**
 * The AWS part of the platform as a service: moto (a child process) behind the AWS-correcting layer (in
 * the daemon's process), seeded like a STUPS account.
 */
export const awsService: PlatformService = {
  name: 'aws',
  description: 'moto and the AWS-correcting layer',
  async start({ stateDir, region, port, links }) {
    const platform = await startPlatform({ stateDir, region, port, links, keepState: true });
    links.motoEndpoint = platform.motoEndpoint;
    links.awsEndpoint = platform.endpoint;
    return {
      record: {
        name: 'aws',
        endpoint: platform.endpoint,
        summary: `AWS at ${platform.endpoint} (moto at ${platform.motoEndpoint}${platform.motoRestoredFromSnapshot ? `; NOTE: ${platform.motoRestoredFromSnapshot}` : ''})`,
        environment: awsEnvironment(platform),
        ...(platform.motoRestoredFromSnapshot ? { notes: [platform.motoRestoredFromSnapshot] } : {}),
        parts: [
          { label: 'layer', endpoint: platform.endpoint, pid: process.pid, probePath: FAULTS_PATH },
          { label: 'moto', endpoint: platform.motoEndpoint, pid: platform.motoPid, probePath: '/moto-api/config' },
        ],
      },
      stop: async () => {
        links.motoEndpoint = undefined;
        links.awsEndpoint = undefined;
        await platform.stop();
        rmSync(join(stateDir, MOTO_PORT_FILE), { force: true });
      },
    };
  },
  async cleanUp(stateDir: string, isOurs: Ownership) {
    await stopMotoByPidFile(stateDir, isOurs);
    rmSync(join(stateDir, MOTO_PORT_FILE), { force: true });
  },
};

/**
 * What points the AWS SDK (and the CLIs) at the platform. The seeded Taupage AMIs are the account's
 * own, so senza trusts exactly those (its trusted owners are explicit here rather than inherited from
 * a user's real-account setting).
 */
export function awsEnvironment(platform: { endpoint: string; region: string }): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: platform.endpoint,
    AWS_REGION: platform.region,
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local',
    SENZA_TAUPAGE_OWNERS: 'self',
  };
}

/** The shell lines for the AWS part alone. */
export function exportLines(platform: { endpoint: string; region: string }): string {
  return formatExports(awsEnvironment(platform));
}

import { join } from 'node:path';
import type { PlatformLinks } from '../contract/links.js';
import { assertPortFree } from '../contract/loopback-port.js';
import { type AwsProxy, startAwsProxy } from './aws-proxy.js';
import type { FaultSwitch } from './faults.js';
import { MOTO_STATE_FILE, type MotoServer, startMoto } from './moto-server.js';
import { type SeededAccount, seedStupsAccount } from './seed-account.js';

export interface PlatformOptions {
  /** Where moto keeps its PID, port and log. */
  stateDir: string;
  /** Default eu-central-1. */
  region?: string;
  /** Loopback port of the layer; 0 or left out for an ephemeral one. */
  port?: number;
  /** Seed the STUPS account (default true). */
  seed?: boolean;
  /** The moto_server executable (default from PATH). */
  motoCommand?: string;
  /** Links to the runtime, read by the layer's corrections (see runtime-contract.ts). */
  links?: PlatformLinks;
  /** Keep moto's emulated state in the state directory between runs (stups-local's platform does). */
  keepState?: boolean;
  /**
   * The day the emulated account was created, `YYYY-MM-DD` (default ACCOUNT_CREATED_ON, a new account).
   * An earlier day emulates an older account, e.g. one that still creates launch configurations.
   */
  accountCreatedOn?: string;
}

/**
 * The local AWS: moto behind the AWS-correcting layer, in this process (the `aws` service of the
 * platform starts it; tests start it directly). Exported by the package as `startPlatform`/`Platform`,
 * the names the tests and scripts use.
 */
export interface Platform {
  /** The layer: the value for AWS_ENDPOINT_URL. */
  endpoint: string;
  port: number;
  /** moto itself, for tests that need to see past the layer. */
  motoEndpoint: string;
  motoPid: number;
  /** Set when moto came back at its last snapshot after an unclean stop (what was lost). */
  motoRestoredFromSnapshot?: string;
  region: string;
  seeded?: SeededAccount;
  faults: FaultSwitch;
  stop(): Promise<void>;
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const region = options.region ?? 'eu-central-1';
  if (options.port) await assertPortFree(options.port);
  const moto: MotoServer = await startMoto({
    stateDir: options.stateDir,
    command: options.motoCommand,
    stateFile: options.keepState ? join(options.stateDir, MOTO_STATE_FILE) : undefined,
  });
  let proxy: AwsProxy | undefined;
  try {
    proxy = await startAwsProxy({
      motoEndpoint: moto.endpoint,
      region,
      port: options.port,
      links: options.links,
      accountCreatedOn: options.accountCreatedOn,
    });
    const seeded = options.seed === false ? undefined : await seedStupsAccount(moto.endpoint, { region });
    const layer = proxy;
    return {
      endpoint: layer.endpoint,
      port: layer.port,
      motoEndpoint: moto.endpoint,
      motoPid: moto.pid,
      motoRestoredFromSnapshot: moto.restoredFromSnapshot,
      region,
      seeded,
      faults: layer.faults,
      stop: async () => {
        await layer.close();
        await moto.stop();
      },
    };
  } catch (e) {
    await proxy?.close();
    await moto.stop();
    throw e;
  }
}

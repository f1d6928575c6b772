import type { CliContext } from '@stups/cli-kit';
import { AwsSession } from '@stups/core/aws';
import * as piu from '@stups/core/piu';

/** The odd host: the flag, else the account's `odd-<region>` record, else the config (as piu 1.1). */
export async function oddHostOf(
  cli: CliContext,
  flag: string | undefined,
  configured: string | undefined,
  region?: string,
) {
  if (flag) return flag;
  if (region) {
    try {
      const found = await piu.findOddHost(new AwsSession({ region, maxAttempts: 1 }));
      if (found) return found;
    } catch (e) {
      cli.host.notify({
        level: 'debug',
        code: 'piu.odd-host.autodetect-failed',
        text: `Looking up odd-${region}.* in Route53 failed: ${(e as Error).message}`,
      });
    }
  }
  return configured;
}

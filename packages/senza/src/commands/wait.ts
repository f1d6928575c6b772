import { AbortedError, isStupsError } from '@stups/core';
import { LifecycleView } from '../lifecycle-view.js';
import type { CliContext } from '../main.js';
import { openSession, regionOf } from '../template-request.js';

export async function run(args: unknown[], options: Record<string, unknown>, cli: CliContext): Promise<number> {
  const [tokens] = args as [string[]];
  const { parseStackRefs, waitForStacks } = await import('@stups/core/senza/stacks');
  const refs = parseStackRefs(tokens ?? []);
  const view = new LifecycleView(cli);
  const session = await openSession(await regionOf(options, cli), view.host);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    await waitForStacks(session, refs, {
      host: view.host,
      deletion: Boolean(options.deletion),
      timeoutSeconds: Number(options.timeout),
      intervalSeconds: Number(options.interval),
      signal: controller.signal,
      refText: (tokens ?? []).join(' '),
    });
    return 0;
  } catch (e) {
    if (e instanceof AbortedError) {
      const again = ['senza wait', ...(tokens ?? [])];
      if (options.deletion) again.push('--deletion');
      if (options.region) again.push('--region', String(options.region));
      cli.stderr.write(`\nStopped waiting; CloudFormation carries on. To resume: ${again.join(' ')}\n`);
      return 130;
    }
    // The original's last line for a failed stack: `ERROR: Stack test-1 has status ROLLBACK_COMPLETE`.
    if (isStupsError(e) && e.code === 'senza.wait.failed') {
      cli.stderr.write(`ERROR: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  } finally {
    process.removeListener('SIGINT', onSigint);
    session.finish();
  }
}

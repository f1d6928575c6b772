import { AbortedError } from '@stups/core';
import { LifecycleView } from '../lifecycle-view.js';
import type { CliContext } from '../main.js';
import { openSession, regionOf } from '../template-request.js';

export async function run(args: unknown[], options: Record<string, unknown>, cli: CliContext): Promise<number> {
  const [tokens] = args as [string[]];
  const { parseStackRefs, respawnInstances } = await import('@stups/core/senza/stacks');
  const refs = parseStackRefs(tokens ?? []);
  const view = new LifecycleView(cli);
  const session = await openSession(await regionOf(options, cli), view.host);
  // Ctrl-C stops waiting; the engine still resets the group's sizes and resumes its processes.
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    await respawnInstances(session, refs, {
      host: view.host,
      inplace: Boolean(options.inplace),
      force: Boolean(options.force),
      timeoutSeconds: Number(options.timeout),
      signal: controller.signal,
    });
    return 0;
  } catch (e) {
    if (e instanceof AbortedError) {
      cli.stderr.write('Interrupted; the Auto Scaling Group was reset to its original capacity.\n');
      return 130;
    }
    throw e;
  } finally {
    process.removeListener('SIGINT', onSigint);
    session.finish();
  }
}

import { LifecycleView } from '../lifecycle-view.js';
import type { CliContext } from '../main.js';
import { openSession, regionOf } from '../template-request.js';

export async function run(args: unknown[], options: Record<string, unknown>, cli: CliContext): Promise<number> {
  const [tokens] = args as [string[]];
  const { parseStackRefs, patchStacks } = await import('@stups/core/senza/stacks');
  const refs = parseStackRefs(tokens ?? []);
  const view = new LifecycleView(cli);
  const session = await openSession(await regionOf(options, cli), view.host);
  try {
    await view.action(() =>
      patchStacks(session, refs, {
        host: view.host,
        image: options.image as string | undefined,
        instanceType: options.instanceType as string | undefined,
        userData: options.userData as string | undefined,
      }),
    );
    return 0;
  } catch (e) {
    return view.exitCodeOf(e);
  } finally {
    session.finish();
  }
}

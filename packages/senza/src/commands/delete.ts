import { LifecycleView, resumeCommand } from '../lifecycle-view.js';
import type { CliContext } from '../main.js';
import { confirm } from '../prompt.js';
import { openSession, regionOf } from '../template-request.js';

export async function run(args: unknown[], options: Record<string, unknown>, cli: CliContext): Promise<number> {
  const [tokens] = args as [string[]];
  const { parseStackRefs, deleteStacks } = await import('@stups/core/senza/stacks');
  const refs = parseStackRefs(tokens ?? []);
  const view = new LifecycleView(cli);
  const session = await openSession(await regionOf(options, cli), view.host);
  try {
    const result = await view.action(() =>
      deleteStacks(session, refs, {
        host: view.host,
        dryRun: Boolean(options.dryRun),
        force: Boolean(options.force),
        ignoreNonExistent: Boolean(options.ignoreNonExistent),
        confirm: options.interactive
          ? (stackName) => confirm(cli, `Delete '${stackName}'?`, 'no -i/--interactive', false)
          : undefined,
      }),
    );
    if (!options.wait || result.deleted.length === 0) return 0;
    return await view.watch(
      session,
      result.deleted,
      'delete',
      result.deleted.map((t) => resumeCommand(t.stackName, options, true)).join(' && '),
    );
  } catch (e) {
    return view.exitCodeOf(e);
  } finally {
    session.finish();
  }
}

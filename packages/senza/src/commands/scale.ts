import { UsageError } from '@stups/core';
import { LifecycleView } from '../lifecycle-view.js';
import type { CliContext } from '../main.js';
import { confirm } from '../prompt.js';
import { openSession, regionOf } from '../template-request.js';

/** click's IntRange(0, 100, clamp=True) for DESIRED_CAPACITY. */
function desiredCapacity(token: string | undefined): number {
  if (token === undefined) {
    throw new UsageError("Missing argument 'DESIRED_CAPACITY'.", { code: 'senza.scale.capacity-missing' });
  }
  if (!/^[+-]?\d+$/.test(token.trim())) {
    throw new UsageError(`Invalid value for 'DESIRED_CAPACITY': '${token}' is not a valid integer.`, {
      code: 'senza.scale.capacity-invalid',
    });
  }
  return Math.min(100, Math.max(0, Number(token)));
}

export async function run(args: unknown[], options: Record<string, unknown>, cli: CliContext): Promise<number> {
  const [tokens = []] = args as [string[] | undefined];
  // `[REF...] DESIRED_CAPACITY`: the last token is the capacity.
  const capacity = desiredCapacity(tokens[tokens.length - 1]);
  const { parseStackRefs, scaleStacks } = await import('@stups/core/senza/stacks');
  const refs = parseStackRefs(tokens.slice(0, -1));
  const view = new LifecycleView(cli);
  const session = await openSession(await regionOf(options, cli), view.host);
  try {
    await view.action(() =>
      scaleStacks(session, refs, {
        host: view.host,
        desiredCapacity: capacity,
        minSize: options.minSize === undefined ? undefined : Number(options.minSize),
        force: Boolean(options.force),
        confirm: (question) => confirm(cli, question, '-f/--force', false),
      }),
    );
    return 0;
  } catch (e) {
    return view.exitCodeOf(e);
  } finally {
    session.finish();
  }
}

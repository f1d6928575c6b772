import { confirm } from '@stups/cli-kit/prompt';
import { EXIT, UsageError } from '@stups/core';
import { openSession, regionOf } from '../template-request.js';
import type { ScaleRun } from './specs/lifecycle.js';

/** click's IntRange(0, 100, clamp=True) for DESIRED_CAPACITY. */
function desiredCapacity(token: string | undefined): number {
  if (token === undefined) {
    throw new UsageError("Missing argument 'DESIRED_CAPACITY'.", { code: 'senza.scale-capacity-missing' });
  }
  if (!/^[+-]?\d+$/.test(token.trim())) {
    throw new UsageError(`Invalid value for 'DESIRED_CAPACITY': '${token}' is not a valid integer.`, {
      code: 'senza.scale-capacity-invalid',
    });
  }
  return Math.min(100, Math.max(0, Number(token)));
}

export const run: ScaleRun = async ([tokens], options, cli) => {
  // `[REF...] DESIRED_CAPACITY`: the last token is the capacity.
  const capacity = desiredCapacity(tokens[tokens.length - 1]);
  const { parseStackRefs, scaleStacks } = await import('@stups/core/senza/stacks');
  const refs = parseStackRefs(tokens.slice(0, -1));
  const session = await openSession(await regionOf(options, cli), cli.host);
  try {
    await scaleStacks(session, refs, {
      host: cli.host,
      desiredCapacity: capacity,
      minSize: options.minSize,
      force: options.force,
      confirm: (question) => confirm(cli, question, '-f/--force', false),
    });
    return EXIT.OK;
  } finally {
    session.finish();
  }
};

import { AbortedError, EXIT, InterruptedError } from '@stups/core';
import { openSession, regionOf } from '../template-request.js';
import type { WaitRun } from './specs/lifecycle.js';

export const run: WaitRun = async ([tokens], options, cli) => {
  const { parseStackRefs, waitForStacks } = await import('@stups/core/senza/stacks');
  const refs = parseStackRefs(tokens);
  const session = await openSession(await regionOf(options, cli), cli.host);
  try {
    await waitForStacks(session, refs, {
      host: cli.host,
      deletion: options.deletion,
      timeoutSeconds: options.timeout,
      intervalSeconds: options.interval,
      signal: cli.signal,
      refText: tokens.join(' '),
    });
    return EXIT.OK;
  } catch (e) {
    if (e instanceof AbortedError && !(e instanceof InterruptedError)) {
      const again = ['senza wait', ...tokens];
      if (options.deletion) again.push('--deletion');
      if (options.region) again.push('--region', options.region);
      throw new InterruptedError('Stopped waiting; CloudFormation carries on.', {
        code: 'senza.wait-interrupted',
        hint: `To resume: ${again.join(' ')}`,
      });
    }
    throw e;
  } finally {
    session.finish();
  }
};

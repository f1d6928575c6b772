import { AbortedError, EXIT, InterruptedError } from '@stups/core';
import { openSession, regionOf } from '../template-request.js';
import type { RespawnRun } from './specs/lifecycle.js';

export const run: RespawnRun = async ([tokens], options, cli) => {
  const { parseStackRefs, respawnInstances } = await import('@stups/core/senza/stacks');
  const refs = parseStackRefs(tokens);
  const session = await openSession(await regionOf(options, cli), cli.host);
  try {
    // Ctrl-C stops waiting; the engine still resets the group's sizes and resumes its processes.
    await respawnInstances(session, refs, {
      host: cli.host,
      inplace: options.inplace,
      force: options.force,
      timeoutSeconds: options.timeout,
      signal: cli.signal,
    });
    return EXIT.OK;
  } catch (e) {
    if (e instanceof AbortedError && !(e instanceof InterruptedError)) {
      throw new InterruptedError('Interrupted; the Auto Scaling Group was reset to its original capacity.', {
        code: 'senza.respawn-interrupted',
      });
    }
    throw e;
  } finally {
    session.finish();
  }
};

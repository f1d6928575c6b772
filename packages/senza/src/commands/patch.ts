import { EXIT } from '@stups/core';
import { accountFactsOptions, openSession, regionOf } from '../template-request.js';
import type { PatchRun } from './specs/lifecycle.js';

export const run: PatchRun = async ([tokens], options, cli) => {
  const { parseStackRefs, patchStacks } = await import('@stups/core/senza/stacks');
  const refs = parseStackRefs(tokens);
  const session = await openSession(await regionOf(options, cli), cli.host);
  try {
    await patchStacks(session, refs, {
      host: cli.host,
      image: options.image,
      taupageOwners: (await accountFactsOptions(cli)).taupageOwners,
      instanceType: options.instanceType,
      userData: options.userData,
    });
    return EXIT.OK;
  } finally {
    session.finish();
  }
};

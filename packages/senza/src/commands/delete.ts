import { confirm } from '@stups/cli-kit/prompt';
import { EXIT } from '@stups/core';
import { resumeCommand, watchDeployment } from '../deployment-watch.js';
import { openSession, regionOf } from '../template-request.js';
import type { DeleteRun } from './specs/lifecycle.js';

export const run: DeleteRun = async ([tokens], options, cli) => {
  const { parseStackRefs, deleteStacks, removeLeftRecords } = await import('@stups/core/senza/stacks');
  const refs = parseStackRefs(tokens);
  const { host } = cli;
  const session = await openSession(await regionOf(options, cli), host);
  try {
    const result = await deleteStacks(session, refs, {
      host,
      dryRun: options.dryRun,
      force: options.force,
      ignoreNonExistent: options.ignoreNonExistent,
      confirm: options.interactive
        ? (stackName) => confirm(cli, `Delete '${stackName}'?`, 'no -i/--interactive', false)
        : undefined,
    });
    if (!options.wait || result.deleted.length === 0) return EXIT.OK;
    const code = await watchDeployment(
      cli,
      session,
      result.deleted,
      'delete',
      result.deleted.map((t) => resumeCommand(t.stackName, options, true)).join(' && '),
    );
    // Once deleted, no record with the stack's SetIdentifier may stay (CloudFormation can leave one).
    if (code === EXIT.OK) await removeLeftRecords(session, result.records, host);
    return code;
  } finally {
    session.finish();
  }
};

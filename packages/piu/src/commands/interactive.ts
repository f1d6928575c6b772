import type { CliContext } from '@stups/cli-kit';
import { ask, confirm } from '@stups/cli-kit/prompt';
import { tableText } from '@stups/cli-kit/table';
import { NotFoundError, UsageError } from '@stups/core';
import type { AwsSession } from '@stups/core/aws';
import { listStackInstances, type StackInstance } from '@stups/core/piu';

/**
 * `--interactive`: the running instances of stacks in the region as a table (stack name and version
 * shown), one picked by number; a single one is only confirmed.
 */
export async function chooseInstance(cli: CliContext, session: AwsSession): Promise<StackInstance> {
  const instances = await listStackInstances(session);
  if (instances.length === 0)
    throw new NotFoundError('No running instances were found.', {
      code: 'piu.no-instances',
      hint: `No running EC2 instance with Name, StackName and StackVersion tags in ${session.region}.`,
    });
  const rows = instances.map((i, n) => ({ index: n + 1, ...i }));
  cli.host.say(
    tableText(cli, { columns: ['index', 'name', 'stack_name', 'stack_version', 'private_ip', 'instance_id'] }, rows, {
      output: 'text',
    }),
  );
  if (instances.length === 1) {
    const only = instances[0] as StackInstance;
    if (await confirm(cli, `Connect to ${only.name}?`, '--interactive', false, true)) return only;
    throw new UsageError('No instance chosen', { code: 'piu.no-instance-chosen' });
  }
  for (;;) {
    const answer = Number(await ask(cli, `Choose an instance (1-${instances.length})`));
    if (Number.isInteger(answer) && answer >= 1 && answer <= instances.length)
      return instances[answer - 1] as StackInstance;
    cli.host.say(`Error: ${answer} is not in the range 1-${instances.length}.\n`);
  }
}

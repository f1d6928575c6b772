import { isIP } from 'node:net';
import type { Filter, Instance } from '@aws-sdk/client-ec2';
import { GetConsoleOutputCommand } from '@aws-sdk/client-ec2';
import type { AwsSession } from '../../../aws/aws-session.js';
import { NotFoundError } from '../../../errors.js';
import { matchesAnyRef, parseStackRefs } from '../stack-ref.js';
import { describeInstances, tagValue } from './stack-instances.js';

export interface ConsoleOutput {
  instanceId: string;
  /** `<stack name>/<private ip or instance id>`. */
  title: string;
  /** The last lines of the instance's console. */
  lines: string[];
}

/** How `senza console` reads its arguments: instance ids, private IPs, or STACK_REFs. */
export function consoleSelection(args: string[]): { filters: Filter[]; mode: 'id' | 'ip' | 'stack' } {
  if (args.length > 0 && args.every((a) => a.startsWith('i-'))) {
    return { mode: 'id', filters: [{ Name: 'instance-id', Values: args }] };
  }
  if (args.length > 0 && args.every((a) => isIP(a) !== 0)) {
    return { mode: 'ip', filters: [{ Name: 'private-ip-address', Values: args }] };
  }
  // Senza stacks tag their instances with the stack name twice: CloudFormation's tag and `Name`.
  return { mode: 'stack', filters: [{ Name: 'tag-key', Values: ['aws:cloudformation:stack-name', 'Name'] }] };
}

const stackNameOf = (i: Instance): string | undefined =>
  tagValue(i, 'aws:cloudformation:stack-name') ?? tagValue(i, 'Name');

/** The last `limit` lines of a console output text. */
export function lastLines(text: string, limit: number): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return limit > 0 ? lines.slice(-limit) : [];
}

/** The message when nothing matches, like the original's. */
function nothingFound(args: string[], mode: 'id' | 'ip' | 'stack', region: string): NotFoundError {
  if (args.length === 0)
    return new NotFoundError(`No EC2 instances in region '${region}'.`, { code: 'senza.console-none' });
  if (mode !== 'stack')
    return new NotFoundError(`No EC2 instance with id '${args[0]}'.`, { code: 'senza.console-none' });
  const ref = parseStackRefs(args)[0];
  return new NotFoundError(
    ref.version === undefined
      ? `No stack matching '${ref.name}'.`
      : `No stack matching '${ref.name}' with version '${ref.version}'.`,
    { code: 'senza.console-none' },
  );
}

/** Console output of the selected instances (one DescribeInstances, then GetConsoleOutput each). */
export async function fetchConsoleOutput(session: AwsSession, args: string[], limit = 25): Promise<ConsoleOutput[]> {
  const { mode, filters } = consoleSelection(args);
  let instances = await describeInstances(session, filters);
  if (mode === 'stack') {
    const refs = parseStackRefs(args);
    instances = instances.filter((i) => {
      const name = stackNameOf(i);
      return name !== undefined && matchesAnyRef(name, refs);
    });
  }
  if (instances.length === 0) throw nothingFound(args, mode, session.region);
  return Promise.all(
    instances.map(async (i) => {
      const id = i.InstanceId ?? '';
      let text = '';
      try {
        // Latest: the newest output; without it, Nitro instances give only what was buffered at the
        // last state change (API_GetConsoleOutput).
        const out = await session.send('ec2', new GetConsoleOutputCommand({ InstanceId: id, Latest: true }), id);
        text = out.Output ? Buffer.from(out.Output, 'base64').toString('utf8') : '';
      } catch {
        // like the original: an instance without console output shows no lines
      }
      return {
        instanceId: id,
        title: `${stackNameOf(i) ?? ''}/${i.PrivateIpAddress ?? id}`,
        lines: lastLines(text, limit),
      };
    }),
  );
}

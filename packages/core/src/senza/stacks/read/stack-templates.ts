import { GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { parse } from 'yaml';
import type { AwsSession } from '../../../aws/aws-session.js';
import type { StackSummary } from './list-stacks.js';

export interface StackTemplate {
  stack: StackSummary;
  /** The template as a value (JSON bodies parsed; YAML bodies parsed with short-form tags kept as text). */
  template: unknown;
  /** The body as CloudFormation stores it. */
  body: string;
}

/** Parses a stored template body: JSON, else YAML. */
export function parseTemplateBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return parse(body, { logLevel: 'silent' });
  }
}

/** GetTemplate for each stack, in parallel, in the order given (for `senza dump`). */
export async function fetchStackTemplates(session: AwsSession, stacks: StackSummary[]): Promise<StackTemplate[]> {
  return Promise.all(
    stacks.map(async (stack) => {
      const out = await session.send(
        'cloudformation',
        new GetTemplateCommand({ StackName: stack.stackId || stack.stackName }),
        stack.stackName,
      );
      const body = typeof out.TemplateBody === 'string' ? out.TemplateBody : JSON.stringify(out.TemplateBody ?? {});
      return { stack, body, template: parseTemplateBody(body) };
    }),
  );
}

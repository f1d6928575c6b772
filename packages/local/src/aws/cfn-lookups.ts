import {
  type CloudFormationClient,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStacksCommand,
  type Stack,
  type StackResource,
  type StackStatus,
  type StackSummary,
} from '@aws-sdk/client-cloudformation';
import { awsItems } from '@stups/core/aws';

/** Look-ups the corrections make in moto's CloudFormation (directly, not through the layer). */
export async function findStack(cfn: CloudFormationClient, nameOrId: string): Promise<Stack | undefined> {
  try {
    return (await cfn.send(new DescribeStacksCommand({ StackName: nameOrId }))).Stacks?.[0];
  } catch {
    return undefined;
  }
}

/** Every stack in one of `statuses`, all pages. */
export function listStacks(cfn: CloudFormationClient, statuses: readonly StackStatus[]): Promise<StackSummary[]> {
  return awsItems({
    fetch: (NextToken) => cfn.send(new ListStacksCommand({ NextToken, StackStatusFilter: [...statuses] })),
    next: (page) => page.NextToken,
    items: (page) => page.StackSummaries,
  });
}

export async function stackResources(cfn: CloudFormationClient, nameOrId: string): Promise<StackResource[]> {
  try {
    return (await cfn.send(new DescribeStackResourcesCommand({ StackName: nameOrId }))).StackResources ?? [];
  } catch {
    return [];
  }
}

/** The stack's template as an object; undefined when it is not JSON (or YAML the layer does not read). */
export async function stackTemplate(
  cfn: CloudFormationClient,
  nameOrId: string,
): Promise<{ Resources?: Record<string, { Type?: string; Properties?: unknown }> } | undefined> {
  try {
    const body = (await cfn.send(new GetTemplateCommand({ StackName: nameOrId }))).TemplateBody;
    return body ? parseTemplate(body) : undefined;
  } catch {
    return undefined;
  }
}

export function parseTemplate(
  body: string,
): { Resources?: Record<string, { Type?: string; Properties?: unknown }> } | undefined {
  try {
    const parsed = JSON.parse(body);
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** AWS gives a RecordSet's physical id (the record name) without the trailing dot. */
export function awsPhysicalId(type: string | undefined, physicalId: string | undefined): string {
  const id = physicalId ?? '';
  return type === 'AWS::Route53::RecordSet' ? id.replace(/\.$/, '') : id;
}

import { isDeepStrictEqual } from 'node:util';
import { DescribeStacksCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { parse as parseYaml } from 'yaml';
import type { AwsSession } from '../../../aws/aws-session.js';
import { OperationError } from '../../../errors.js';
import type { CompiledStack } from '../../template/template.js';
import type { CfTemplate } from '../../template/template-types.js';
import { isObject } from '../../template/template-types.js';

/**
 * The weighted RecordSets as CloudFormation stored them. CloudFormation changes or deletes a RecordSet
 * by sending Route53 a DELETE with the values it stored (senza#426, senza#184): when `senza traffic`
 * changed the weight through the Route53 API, that DELETE no longer matches. So `update` and `diff`
 * never change a weighted record's stored weight, and a change of the record itself is refused while
 * the live record differs from the stored one or has traffic.
 */

/** A deployed template body: JSON (what senza submits) or YAML without short-form tags. */
export function parseDeployedTemplate(body: string): Record<string, unknown> {
  try {
    return JSON.parse(body);
  } catch {
    const v = parseYaml(body);
    if (typeof v !== 'object' || v === null) throw new OperationError('The deployed template is neither JSON nor YAML');
    return v as Record<string, unknown>;
  }
}

/** What CloudFormation holds for a stack: the template it was last given and the parameter values. */
export interface DeployedStack {
  template: Record<string, unknown>;
  parameters: Record<string, string>;
}

/** GetTemplate (Original) and DescribeStacks of one stack. */
export async function readDeployedStack(session: AwsSession, stackName: string): Promise<DeployedStack> {
  const [described, body] = await Promise.all([
    session.send('cloudformation', new DescribeStacksCommand({ StackName: stackName }), stackName),
    session.send(
      'cloudformation',
      new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }),
      stackName,
    ),
  ]);
  const parameters: Record<string, string> = {};
  for (const p of described.Stacks?.[0]?.Parameters ?? []) {
    if (p.ParameterKey) parameters[p.ParameterKey] = p.ParameterValue ?? '';
  }
  return { template: parseDeployedTemplate(String(body.TemplateBody ?? '{}')), parameters };
}

/**
 * The parameter values an update sends. A parameter without value (raw `Parameters` only) is sent
 * without ParameterValue and without UsePreviousValue: UpdateStack then uses the template's Default
 * (and fails without one).
 */
export function proposedParameters(compiled: Pick<CompiledStack, 'parameters' | 'template'>): Record<string, string> {
  const declared = (compiled.template.Parameters ?? {}) as Record<string, { Default?: unknown } | undefined>;
  const out: Record<string, string> = {};
  for (const p of compiled.parameters) {
    const fallback = declared[p.ParameterKey]?.Default;
    out[p.ParameterKey] = p.ParameterValue ?? (fallback === undefined ? '' : String(fallback));
  }
  return out;
}

/** A weighted RecordSet of a template: logical id, set identifier, the stated weight. */
export interface WeightedRecordSet {
  logicalId: string;
  setIdentifier: unknown;
  weight: unknown;
  properties: Record<string, unknown>;
}

export function weightedRecordSets(template: { Resources?: unknown }): WeightedRecordSet[] {
  const resources = isObject(template.Resources) ? template.Resources : {};
  return Object.entries(resources).flatMap(([logicalId, r]): WeightedRecordSet[] => {
    if (!isObject(r) || r.Type !== 'AWS::Route53::RecordSet' || !isObject(r.Properties)) return [];
    const p = r.Properties;
    if (p.SetIdentifier === undefined || !('Weight' in p)) return [];
    return [{ logicalId, setIdentifier: p.SetIdentifier, weight: p.Weight, properties: p }];
  });
}

/** The weight a template states, as a number (the original senza wrote numbers; a string is accepted). */
export function statedWeight(weight: unknown): number | undefined {
  const n = typeof weight === 'number' ? weight : typeof weight === 'string' ? Number(weight) : Number.NaN;
  return Number.isInteger(n) ? n : undefined;
}

export interface KeptWeight {
  logicalId: string;
  /** What the regenerated template says (0). */
  templateWeight: unknown;
  /** What CloudFormation stored, and the template now says too. */
  deployedWeight: unknown;
}

/**
 * The template with the deployed template's weight in each weighted RecordSet the deployed template
 * has too: CloudFormation then sees no weight change and leaves the record (and its live weight, which
 * `senza traffic` keeps in Route53) alone. Pure: returns a copy and what it changed.
 */
export function withDeployedWeights(
  template: CfTemplate,
  deployed: { Resources?: unknown },
): { template: CfTemplate; kept: KeptWeight[] } {
  const stored = new Map(weightedRecordSets(deployed).map((r) => [r.logicalId, r]));
  const kept: KeptWeight[] = [];
  const resources = { ...(template.Resources ?? {}) };
  for (const r of weightedRecordSets(template)) {
    const old = stored.get(r.logicalId);
    if (!old || isDeepStrictEqual(old.weight, r.weight)) continue;
    kept.push({ logicalId: r.logicalId, templateWeight: r.weight, deployedWeight: old.weight });
    const resource = resources[r.logicalId];
    resources[r.logicalId] = { ...resource, Properties: { ...r.properties, Weight: old.weight } } as never;
  }
  return { template: kept.length ? { ...template, Resources: resources } : template, kept };
}

/** Properties whose change makes CloudFormation replace a load balancer (and so its DNS name). */
const REPLACING: Record<string, string[]> = {
  'AWS::ElasticLoadBalancing::LoadBalancer': ['LoadBalancerName', 'Scheme'],
  'AWS::ElasticLoadBalancingV2::LoadBalancer': ['Name', 'Scheme', 'Type'],
};

/**
 * The weighted RecordSets of the deployed template that an update to `proposed` changes or removes
 * (so CloudFormation would send Route53 a DELETE of the stored record): the resource differs, it
 * refers to a parameter whose value changes, or its alias target is a load balancer the update
 * replaces (a replacing property changes). Pure.
 */
export function changedWeightedRecordSets(
  deployed: { Resources?: unknown },
  proposed: { Resources?: unknown },
  parameters: { old: Record<string, string>; new: Record<string, string> },
): WeightedRecordSet[] {
  const before = isObject(deployed.Resources) ? deployed.Resources : {};
  const after = isObject(proposed.Resources) ? proposed.Resources : {};
  const changedParams = new Set(
    Object.keys(parameters.new).filter(
      (k) => parameters.old[k] !== undefined && parameters.old[k] !== parameters.new[k],
    ),
  );
  const replaced = (id: string) => {
    const a = before[id];
    const b = after[id];
    if (!isObject(a) || !isObject(b) || a.Type !== b.Type) return true;
    const props = REPLACING[String(a.Type)] ?? [];
    const pa = isObject(a.Properties) ? a.Properties : {};
    const pb = isObject(b.Properties) ? b.Properties : {};
    return props.some((p) => !isDeepStrictEqual(pa[p], pb[p]));
  };
  return weightedRecordSets(deployed).filter((r) => {
    const now = after[r.logicalId];
    // Key order does not count (CloudFormation compares values).
    if (!isDeepStrictEqual(before[r.logicalId], now)) return true;
    const { refs, atts } = references(now);
    return refs.some((p) => changedParams.has(p)) || atts.some((id) => id in before && replaced(id));
  });
}

function references(value: unknown, out = { refs: [] as string[], atts: [] as string[] }) {
  if (Array.isArray(value)) {
    for (const v of value) references(v, out);
  } else if (isObject(value)) {
    if (typeof value.Ref === 'string') out.refs.push(value.Ref);
    const att = value['Fn::GetAtt'];
    if (Array.isArray(att) && typeof att[0] === 'string') out.atts.push(att[0]);
    for (const v of Object.values(value)) references(v, out);
  }
  return out;
}

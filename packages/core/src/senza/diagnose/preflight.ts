import { DescribeStacksCommand, type DescribeStacksCommandOutput } from '@aws-sdk/client-cloudformation';
import { DescribeImagesCommand, type DescribeImagesCommandOutput } from '@aws-sdk/client-ec2';
import { isStackMissing } from '../../aws/aws-errors.js';
import type { AwsSession } from '../../aws/aws-session.js';
import { AwsError, StupsError } from '../../errors.js';
import { recordsInTheWay } from '../stacks/lifecycle/records-in-the-way.js';
import { parseDockerImage } from '../template/docker-image.js';
import type { DiagnosisCode, Verdict } from './classify.js';

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The AMI ids a template launches (launch configurations, launch templates, instances): literal ids and
 * `Fn::FindInMap: [Images, {Ref: AWS::Region}, KEY]` resolved through the template's Mappings.
 */
export function templateAmis(template: { Resources?: Json; Mappings?: Json }, region: string): string[] {
  const ids = new Set<string>();
  const mappings = isObject(template.Mappings) ? template.Mappings : {};
  const resolve = (v: Json): string | undefined => {
    if (typeof v === 'string') return v;
    if (!isObject(v) || !Array.isArray(v['Fn::FindInMap'])) return undefined;
    const [map, first, second] = v['Fn::FindInMap'] as Json[];
    const table = typeof map === 'string' ? mappings[map] : undefined;
    const key1 = isObject(first) && first.Ref === 'AWS::Region' ? region : first;
    if (!isObject(table) || typeof key1 !== 'string') return undefined;
    const row = table[key1];
    const value = isObject(row) && typeof second === 'string' ? row[second] : undefined;
    return typeof value === 'string' ? value : undefined;
  };
  for (const r of Object.values(isObject(template.Resources) ? template.Resources : {})) {
    if (!isObject(r) || !isObject(r.Properties)) continue;
    const p = r.Properties;
    const data = isObject(p.LaunchTemplateData) ? p.LaunchTemplateData : undefined;
    const id = resolve(p.ImageId ?? data?.ImageId);
    if (id?.startsWith('ami-')) ids.add(id);
  }
  return [...ids];
}

/** The definition errors of template generation that are a preflight verdict. */
const GENERATION_VERDICTS: Record<string, DiagnosisCode> = {
  'senza.docker-image-missing': 'senza.diagnose-image-missing',
  'aws.certificate-missing': 'senza.diagnose-certificate-missing',
  'aws.taupage-ami-missing': 'senza.diagnose-ami-missing',
};

/** A template generation error as a preflight verdict, when it is one of the preflight's causes. */
export function generationVerdict(e: unknown, ref: { name: string; version: string }): Verdict | undefined {
  if (!(e instanceof StupsError)) return undefined;
  const code = GENERATION_VERDICTS[e.code];
  if (!code) return undefined;
  const image = /Docker image "([^"]+)"/.exec(e.message)?.[1];
  const repository = image ? parseDockerImage(image).repository : '';
  const next: Record<string, string> = {
    'senza.diagnose-image-missing': repository.includes('/')
      ? `pierone tags ${repository.replace('/', ' ')}`
      : 'pierone tags TEAM ARTIFACT',
    'senza.diagnose-certificate-missing': 'aws acm list-certificates',
    'senza.diagnose-ami-missing': 'senza images',
  };
  return {
    code,
    summary: e.message,
    evidence: [`senza create: ${e.message}`],
    fix: e.hint ?? 'Fix the definition or the account, then create again.',
    next: next[code] ?? `senza diagnose ${ref.name} ${ref.version}`,
    data: { error: e.code, ...(image ? { image } : {}), ...(isObject(e.data) ? e.data : {}) },
  };
}

/**
 * `senza create --preflight`, after the template was generated (which already checked the image in its
 * registry, the Taupage AMI and the certificates): no stack of that name in the way, no Route53 record
 * that `senza create` would refuse (recordsInTheWay, the same check), and every AMI the template
 * launches exists in the region (an explicit ImageId is not checked by generation).
 */
export async function preflightChecks(
  session: AwsSession,
  compiled: { stackName: string; template: unknown },
): Promise<Verdict[]> {
  const { stackName } = compiled;
  const i = stackName.lastIndexOf('-');
  const verdicts: Verdict[] = [];
  let stackExists = false;
  try {
    const out = await session.send<DescribeStacksCommandOutput>(
      'cloudformation',
      new DescribeStacksCommand({ StackName: stackName }),
      stackName,
    );
    const s = out.Stacks?.[0];
    stackExists = s !== undefined && s.StackStatus !== 'DELETE_COMPLETE';
    if (s && stackExists)
      verdicts.push({
        code: 'senza.diagnose-name-conflict',
        summary: `Stack ${stackName} already exists (${s.StackStatus})`,
        evidence: [`DescribeStacks ${stackName}: ${s.StackStatus}`],
        fix: 'Choose another version, update this one (senza update), or delete it first.',
        next: `senza list ${stackName.slice(0, i)}`,
        data: { stackName, stackStatus: s.StackStatus ?? null },
      });
  } catch (e) {
    if (!isStackMissing(e)) throw e;
  }
  // An existing stack owns its records: only without one is a record in the way.
  if (!stackExists)
    for (const r of await recordsInTheWay(session, compiled as { stackName: string; template: { Resources?: Json } }))
      verdicts.push({
        code: 'senza.diagnose-name-conflict',
        summary:
          r.kind === 'left'
            ? `Route53 already holds the weighted record ${r.described}, left behind by an earlier stack ${stackName}`
            : `Route53 already holds the record ${r.described}, which stack ${stackName} would create`,
        evidence: [`ListResourceRecordSets ${r.zoneName} (${r.zoneId}): ${r.described}`],
        fix: `${r.removal}; then create again.`,
        next: `aws route53 list-resource-record-sets --hosted-zone-id ${r.zoneId} --query "ResourceRecordSets[?Name=='${r.name}']"`,
        data: {
          stackName,
          record: r.name,
          type: r.type,
          setIdentifier: r.setIdentifier ?? null,
          weight: r.weight ?? null,
          zoneId: r.zoneId,
          zoneName: r.zoneName,
        },
      });
  for (const ami of templateAmis(compiled.template as { Resources?: Json; Mappings?: Json }, session.region)) {
    let found = false;
    let reason = '';
    try {
      const out = await session.send<DescribeImagesCommandOutput>(
        'ec2',
        new DescribeImagesCommand({ ImageIds: [ami] }),
        ami,
      );
      found = (out.Images ?? []).some((img) => img.ImageId === ami);
      reason = found ? '' : `DescribeImages ${ami}: no such image`;
    } catch (e) {
      if (!(e instanceof AwsError && /^InvalidAMIID\./.test(e.awsCode ?? ''))) throw e;
      reason = `DescribeImages ${ami}: ${e.awsCode}: ${e.message}`;
    }
    if (!found)
      verdicts.push({
        code: 'senza.diagnose-ami-missing',
        summary: `The AMI ${ami} does not exist in ${session.region}`,
        evidence: [reason],
        fix: 'Use an AMI that exists in this region (the Taupage AMIs are listed by `senza images`).',
        next: 'senza images',
        data: { ami, region: session.region },
      });
  }
  return verdicts;
}

import type {
  AutoScalingGroup,
  CreateLaunchConfigurationCommandInput,
  DescribeLaunchConfigurationsCommandOutput,
  LaunchConfiguration,
} from '@aws-sdk/client-auto-scaling';
import {
  CreateLaunchConfigurationCommand,
  DescribeLaunchConfigurationsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  type _InstanceType,
  CreateLaunchTemplateVersionCommand,
  type CreateLaunchTemplateVersionCommandOutput,
  DescribeLaunchTemplateVersionsCommand,
  type DescribeLaunchTemplateVersionsCommandOutput,
} from '@aws-sdk/client-ec2';
import type { AwsSession } from '../../../aws/aws-session.js';
import { NotFoundError, OperationError, UsageError } from '../../../errors.js';
import { type IoHost, silentHost } from '../../../io/messages.js';
import { dumpPyYaml } from '../../definition/pyyaml-dump.js';
import { parseYamlSource } from '../../definition/yaml-source.js';
import { fetchAccountFacts } from '../../template/account-facts-fetch.js';
import { isObject, type Json } from '../../template/template-types.js';
import { listStacks } from '../read/list-stacks.js';
import type { StackRef } from '../stack-ref.js';
import { describeAutoScalingGroup, type StackAutoScalingGroup, stackAutoScalingGroups } from './scale-stacks.js';
import { endAction, startAction } from './stack-action.js';

export interface PatchStacksOptions {
  host?: IoHost;
  /** An AMI id, or a Taupage channel: `latest`, `staging`, `dev`. */
  image?: string;
  /** Whose Taupage AMIs a channel may resolve to (see taupage-owners.ts); default the account's own. */
  taupageOwners?: readonly string[];
  instanceType?: string;
  /** YAML text: a map is merged into the Taupage user data, anything else replaces plain user data. */
  userData?: string;
  /** The clock for the new launch configuration's name (UTC). */
  now?: () => Date;
}

export interface PatchedGroup extends StackAutoScalingGroup {
  changed: boolean;
  /** The group's launch configuration after the patch ('' for a group with a launch template). */
  launchConfigurationName: string;
  /** The group's launch template after the patch (for a group with one). */
  launchTemplate?: { id: string; version: string };
}

export interface PatchStacksResult {
  matched: string[];
  groups: PatchedGroup[];
}

interface Patch {
  ImageId?: string;
  InstanceType?: string;
  UserData?: Json;
}

const TAUPAGE_CHANNELS: Record<string, 'production' | 'staging' | 'dev'> = {
  latest: 'production',
  staging: 'staging',
  dev: 'dev',
};

/** `latest`/`staging`/`dev` as the newest Taupage AMI of that channel; anything else is an AMI id. */
async function resolveImage(session: AwsSession, image: string, owners?: readonly string[]): Promise<string> {
  const channel = TAUPAGE_CHANNELS[image];
  if (!channel) return image;
  const facts = await fetchAccountFacts(session, [{ kind: 'taupageImages' }], { taupageOwners: owners });
  const id = facts.taupageImages?.[channel];
  if (!id) throw new NotFoundError(`No Taupage AMI found for ${image}`, { code: 'senza.patch-no-taupage-ami' });
  return id;
}

function userDataKind(v: Json | undefined): string {
  if (isObject(v)) return 'map';
  if (Array.isArray(v)) return 'list';
  return 'string';
}

/** The YAML document of user data below its first line (the `#taupage-ami-config` header); a string when it is none. */
function userDataDocument(text: string): { header: string; doc: Json } {
  const i = text.indexOf('\n');
  const header = i < 0 ? text : text.slice(0, i);
  const body = i < 0 ? '' : text.slice(i + 1);
  if (body.trim() === '') return { header, doc: header.startsWith('#taupage-ami-config') ? {} : text };
  try {
    return { header, doc: parseYamlSource(body).value };
  } catch {
    return { header, doc: text };
  }
}

/**
 * The user data after a patch: a map is merged (top-level keys replaced) into the Taupage
 * configuration below the header line, which is kept, and dumped as PyYAML's `safe_dump` does; a
 * string replaces user data that is no map.
 */
export function patchUserData(current: string, patch: Json): string {
  const { header, doc } = userDataDocument(current);
  if (isObject(patch) !== isObject(doc)) {
    throw new OperationError(
      `Current user data is a ${userDataKind(doc)} but provided user data is a ${userDataKind(patch)}.`,
      { code: 'senza.patch-user-data-type' },
    );
  }
  if (!isObject(patch) || !isObject(doc)) return typeof patch === 'string' ? patch : JSON.stringify(patch);
  return `${header}\n${dumpPyYaml({ ...doc, ...patch }, { width: 80 })}`;
}

/** Launch configuration properties that a copy carries over (only non-empty ones: AWS rejects empty values). */
const COPIED_PROPERTIES = [
  'AssociatePublicIpAddress',
  'BlockDeviceMappings',
  'EbsOptimized',
  'IamInstanceProfile',
  'ImageId',
  'InstanceMonitoring',
  'InstanceType',
  'KernelId',
  'KeyName',
  'MetadataOptions',
  'PlacementTenancy',
  'RamdiskId',
  'SecurityGroups',
  'SpotPrice',
] as const satisfies (keyof LaunchConfiguration & keyof CreateLaunchConfigurationCommandInput)[];

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** `%Y%m%dT%H%M%S` in UTC. */
function utcStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').slice(0, 15);
}

/**
 * `senza patch`: for every auto scaling group of the matched stacks, a copy of its launch
 * configuration with the new image, instance type and/or user data, and the group pointed at it.
 * Running instances are not replaced (that is `respawn-instances`).
 */
export async function patchStacks(
  session: AwsSession,
  refs: StackRef[],
  options: PatchStacksOptions,
): Promise<PatchStacksResult> {
  const host = options.host ?? silentHost;
  if (options.image === undefined && options.instanceType === undefined && options.userData === undefined) {
    throw new UsageError('Nothing to patch. Please specify at least one patch option (e.g. "--image").', {
      code: 'senza.patch-nothing',
    });
  }
  const patch: Patch = {};
  if (options.userData !== undefined) {
    try {
      patch.UserData = parseYamlSource(options.userData, '--user-data').value;
    } catch (e) {
      throw new UsageError(`Invalid value for '--user-data': ${(e as Error).message}`, {
        code: 'senza.patch-user-data-invalid',
        cause: e,
      });
    }
  }
  if (options.image !== undefined) patch.ImageId = await resolveImage(session, options.image, options.taupageOwners);
  if (options.instanceType !== undefined) patch.InstanceType = options.instanceType;

  const stacks = await listStacks(session, refs);
  const result: PatchStacksResult = { matched: stacks.map((s) => s.stackName), groups: [] };
  if (stacks.length === 0) return result;
  for (const asg of await stackAutoScalingGroups(session, stacks, 'patching')) {
    const data = { stackName: asg.stackName, asgName: asg.name };
    startAction(host, `Patching Auto Scaling Group ${asg.name}..`, data);
    const group = await describeAutoScalingGroup(session, asg.name);
    const lcName = group.LaunchConfigurationName;
    if (!lcName) {
      result.groups.push(await patchLaunchTemplateGroup(session, host, asg, group, patch, options));
      continue;
    }
    const described = await session.send<DescribeLaunchConfigurationsCommandOutput>(
      'autoscaling',
      new DescribeLaunchConfigurationsCommand({ LaunchConfigurationNames: [lcName] }),
      lcName,
    );
    const lc = described.LaunchConfigurations?.[0];
    if (!lc) throw new NotFoundError(`Launch configuration ${lcName} not found`, { code: 'senza.patch-lc-not-found' });
    const currentUserData = lc.UserData ? Buffer.from(lc.UserData, 'base64').toString('utf8') : '';
    const nextUserData =
      patch.UserData === undefined ? currentUserData : patchUserData(currentUserData, patch.UserData);
    const changed =
      (patch.ImageId !== undefined && patch.ImageId !== lc.ImageId) ||
      (patch.InstanceType !== undefined && patch.InstanceType !== lc.InstanceType) ||
      nextUserData !== currentUserData;
    if (!changed) {
      endAction(host, 'NO CHANGES', data);
      result.groups.push({ ...asg, changed: false, launchConfigurationName: lcName });
      continue;
    }
    const input: CreateLaunchConfigurationCommandInput = {
      LaunchConfigurationName: `${lcName.slice(0, 64)}-${utcStamp((options.now ?? (() => new Date()))())}`,
    };
    for (const key of COPIED_PROPERTIES) {
      if (!isEmpty(lc[key])) Object.assign(input, { [key]: lc[key] });
    }
    if (patch.ImageId !== undefined) input.ImageId = patch.ImageId;
    if (patch.InstanceType !== undefined) input.InstanceType = patch.InstanceType;
    if (nextUserData !== '') input.UserData = Buffer.from(nextUserData, 'utf8').toString('base64');
    await session.send('autoscaling', new CreateLaunchConfigurationCommand(input), input.LaunchConfigurationName);
    await session.send(
      'autoscaling',
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: asg.name,
        LaunchConfigurationName: input.LaunchConfigurationName,
      }),
      asg.name,
    );
    endAction(host, 'OK', { ...data, launchConfigurationName: input.LaunchConfigurationName });
    result.groups.push({ ...asg, changed: true, launchConfigurationName: input.LaunchConfigurationName ?? '' });
  }
  return result;
}

/** `Version` of a launch template specification, for the describe call ('$Default' when left out, as AWS reads it). */
function versionOf(spec: { Version?: string }): string {
  return spec.Version || '$Default';
}

/**
 * A group with a launch template: a new version of the template with the patch (CreateLaunchTemplateVersion
 * from the group's version as `SourceVersion`, so that every other setting is inherited), and the group
 * pointed at that version number. The stack's template keeps `LatestVersionNumber`: the next
 * `senza update` that changes the launch template makes a newer version from the definition, as an
 * update replaced a patched launch configuration.
 */
async function patchLaunchTemplateGroup(
  session: AwsSession,
  host: IoHost,
  asg: StackAutoScalingGroup,
  group: AutoScalingGroup,
  patch: Patch,
  options: PatchStacksOptions,
): Promise<PatchedGroup> {
  const data = { stackName: asg.stackName, asgName: asg.name };
  const spec = group.LaunchTemplate;
  const templateId = spec?.LaunchTemplateId;
  if (!spec || !templateId) {
    const mixed = group.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
    throw new OperationError(
      `Auto Scaling Group ${asg.name} has ${mixed ? 'a mixed instances policy' : 'neither a launch configuration nor a launch template'}: patching it is not supported`,
      { code: 'senza.patch-launch-template', data },
    );
  }
  const sourceVersion = versionOf(spec);
  const described = await session.send<DescribeLaunchTemplateVersionsCommandOutput>(
    'ec2',
    new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templateId, Versions: [sourceVersion] }),
    templateId,
  );
  const current = described.LaunchTemplateVersions?.[0];
  if (!current) {
    throw new NotFoundError(`Launch template ${templateId} version ${sourceVersion} not found`, {
      code: 'senza.patch-lt-not-found',
      data: { ...data, launchTemplateId: templateId, version: sourceVersion },
    });
  }
  const lt = current.LaunchTemplateData ?? {};
  const currentUserData = lt.UserData ? Buffer.from(lt.UserData, 'base64').toString('utf8') : '';
  const nextUserData = patch.UserData === undefined ? currentUserData : patchUserData(currentUserData, patch.UserData);
  const changed =
    (patch.ImageId !== undefined && patch.ImageId !== lt.ImageId) ||
    (patch.InstanceType !== undefined && patch.InstanceType !== lt.InstanceType) ||
    nextUserData !== currentUserData;
  const currentVersion = String(current.VersionNumber ?? sourceVersion);
  if (!changed) {
    endAction(host, 'NO CHANGES', data);
    return {
      ...asg,
      changed: false,
      launchConfigurationName: '',
      launchTemplate: { id: templateId, version: currentVersion },
    };
  }
  const stamp = utcStamp((options.now ?? (() => new Date()))());
  const created = await session.send<CreateLaunchTemplateVersionCommandOutput>(
    'ec2',
    new CreateLaunchTemplateVersionCommand({
      LaunchTemplateId: templateId,
      SourceVersion: currentVersion,
      VersionDescription: `senza patch ${stamp}`,
      LaunchTemplateData: {
        ...(patch.ImageId !== undefined ? { ImageId: patch.ImageId } : {}),
        ...(patch.InstanceType !== undefined ? { InstanceType: patch.InstanceType as _InstanceType } : {}),
        ...(nextUserData !== currentUserData ? { UserData: Buffer.from(nextUserData, 'utf8').toString('base64') } : {}),
      },
    }),
    templateId,
  );
  const version = String(created.LaunchTemplateVersion?.VersionNumber ?? '');
  if (!version) {
    throw new OperationError(`CreateLaunchTemplateVersion of ${templateId} answered no version number`, {
      code: 'senza.patch-lt-no-version',
      data,
    });
  }
  await session.send(
    'autoscaling',
    new UpdateAutoScalingGroupCommand({
      AutoScalingGroupName: asg.name,
      LaunchTemplate: { LaunchTemplateId: templateId, Version: version },
    }),
    asg.name,
  );
  endAction(host, 'OK', { ...data, launchTemplateId: templateId, launchTemplateVersion: version });
  return { ...asg, changed: true, launchConfigurationName: '', launchTemplate: { id: templateId, version } };
}

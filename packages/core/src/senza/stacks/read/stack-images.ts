import type { Image, Instance } from '@aws-sdk/client-ec2';
import { DescribeImagesCommand, type DescribeImagesCommandOutput } from '@aws-sdk/client-ec2';
import type { AwsSession } from '../../../aws/aws-session.js';
import { awsItems } from '../../../aws/pages.js';
import { DEFAULT_TAUPAGE_OWNERS } from '../../template/taupage-owners.js';
import { matchesAnyRef, type StackRef } from '../stack-ref.js';
import { describeInstances, tagValue } from './stack-instances.js';
import { byStringKeys, epochSeconds } from './stack-tables.js';

/** A row of `senza images`. */
export interface ImageRow {
  ImageId: string;
  Name: string | null;
  OwnerId: string | null;
  Description: string | null;
  stacks: string;
  total_instances: number;
  instances: string;
  creation_time: number | null;
}

const TAUPAGE_NAMES = ['Taupage-AMI-*', 'TaupageStaging-AMI-*', 'TaupageDev-AMI-*'];
const LIVE_STATES = ['pending', 'running', 'shutting-down', 'stopping', 'stopped'];

const stackOf = (i: Instance): string | undefined =>
  tagValue(i, 'aws:cloudformation:stack-name') ?? tagValue(i, 'Name');

async function describeImages(
  session: AwsSession,
  input: { ImageIds?: string[]; Owners?: string[]; Filters?: { Name: string; Values: string[] }[] },
) {
  return awsItems({
    fetch: (NextToken) =>
      session.send<DescribeImagesCommandOutput>('ec2', new DescribeImagesCommand({ ...input, NextToken })),
    next: (page) => page.NextToken,
    items: (page) => page.Images,
  });
}

export interface ImageFacts {
  instances: Instance[];
  images: Image[];
}

/**
 * The AMIs of the running instances (of the matching stacks; one DescribeInstances, one DescribeImages
 * by id) and, without refs, every available Taupage AMI of the trusted owners (see taupage-owners.ts:
 * any account can publish an image with a Taupage name).
 */
export async function fetchImageFacts(
  session: AwsSession,
  refs: StackRef[],
  taupageOwners: readonly string[] = DEFAULT_TAUPAGE_OWNERS,
): Promise<ImageFacts> {
  const instances = (await describeInstances(session, [{ Name: 'instance-state-name', Values: LIVE_STATES }])).filter(
    (i) => refs.length === 0 || matchesAnyRef(stackOf(i) ?? '', refs),
  );
  const ids = [...new Set(instances.map((i) => i.ImageId).filter((id): id is string => Boolean(id)))];
  const [used, taupage] = await Promise.all([
    ids.length ? describeImages(session, { ImageIds: ids }) : [],
    refs.length === 0
      ? describeImages(session, {
          Owners: [...taupageOwners],
          Filters: [
            { Name: 'name', Values: TAUPAGE_NAMES },
            { Name: 'state', Values: ['available'] },
          ],
        })
      : [],
  ]);
  const byId = new Map<string, Image>();
  for (const image of [...used, ...taupage]) if (image.ImageId) byId.set(image.ImageId, image);
  return { instances, images: [...byId.values()] };
}

/** Rows ordered by name; drops images without a creation date and old ones that nothing uses. */
export function imageRows(facts: ImageFacts, hideOlderThanDays: number, nowMs = Date.now()): ImageRow[] {
  const cutoff = nowMs / 1000 - hideOlderThanDays * 86400;
  const rows: ImageRow[] = [];
  for (const image of facts.images) {
    const created = image.CreationDate ? new Date(image.CreationDate) : undefined;
    if (!created || Number.isNaN(created.getTime())) continue;
    const users = facts.instances.filter((i) => i.ImageId === image.ImageId);
    const creationTime = epochSeconds(created) ?? 0;
    if (creationTime < cutoff && users.length === 0) continue;
    rows.push({
      ImageId: image.ImageId ?? '',
      Name: image.Name ?? null,
      OwnerId: image.OwnerId ?? null,
      Description: image.Description ?? null,
      stacks: [...new Set(users.map((i) => stackOf(i) ?? ''))].filter(Boolean).sort().join(', '),
      total_instances: users.length,
      instances: users.map((i) => i.InstanceId ?? '').join(', '),
      creation_time: creationTime,
    });
  }
  return rows.sort(byStringKeys((r) => r.Name ?? ''));
}

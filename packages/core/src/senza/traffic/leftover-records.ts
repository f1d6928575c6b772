import { ListStacksCommand, type ListStacksCommandOutput } from '@aws-sdk/client-cloudformation';
import { ChangeResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import type { AwsSession } from '../../aws/aws-session.js';
import { awsItems } from '../../aws/pages.js';
import type { MessageCode } from '../../io/message-codes.js';
import { type IoHost, silentHost } from '../../io/messages.js';
import { matchesRef } from '../stacks/stack-ref.js';
import { type WeightedRecord, weightedRecordsByName } from './route53-records.js';
import type { StackVersionInfo } from './traffic-discovery.js';

/**
 * Weighted records whose stack is gone. CloudFormation deletes a stack's RecordSet with the values it
 * stored and, when Route53 rejects that DELETE (the weight was changed through the Route53 API), reports
 * success and leaves the record (senza#184): an answer pointing at a deleted load balancer. These
 * functions find such records by SetIdentifier and remove them (a DELETE of the record exactly as read,
 * so a record changed meanwhile is left alone).
 */

/** The records with SetIdentifier `stackName` among the weighted records of `domains`, in every zone. */
export async function recordsOfStack(
  session: AwsSession,
  stackName: string,
  domains: string[],
): Promise<WeightedRecord[]> {
  if (domains.length === 0) return [];
  const byName = await weightedRecordsByName(session, domains);
  return [...byName.values()].flat().filter((r) => r.setIdentifier === stackName);
}

/** Removes the records as read (one ChangeResourceRecordSets per record: each stands on its own). */
export async function removeRecords(session: AwsSession, records: WeightedRecord[], comment: string): Promise<void> {
  for (const r of records) {
    await session.send(
      'route53',
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: r.zoneId,
        ChangeBatch: { Comment: comment, Changes: [{ Action: 'DELETE', ResourceRecordSet: r.record }] },
      }),
      `${r.zoneName} (${r.zoneId})`,
    );
  }
}

/** `name (SetIdentifier X, weight W, zone Z)`: how messages name a record. */
export function describeRecord(r: WeightedRecord): string {
  return `${r.name} (SetIdentifier ${r.setIdentifier}, weight ${r.weight}, zone ${r.zoneName})`;
}

/**
 * Among the records of a family's main domains, those of a deleted version of that family: the
 * SetIdentifier is no live stack's and is the name of a stack that was deleted (ListStacks keeps
 * deleted stacks for 90 days). Hand-made records and those of other applications never match. The
 * ListStacks call is made only when some record belongs to no live stack.
 */
export async function deletedVersionRecords(
  session: AwsSession,
  name: string,
  family: StackVersionInfo[],
  records: WeightedRecord[],
): Promise<WeightedRecord[]> {
  const live = new Set(family.map((s) => s.identifier));
  const candidates = records.filter((r) => !live.has(r.setIdentifier) && matchesRef(r.setIdentifier, { name }));
  if (candidates.length === 0) return [];
  const deleted = await awsItems({
    fetch: (NextToken) =>
      session.send<ListStacksCommandOutput>(
        'cloudformation',
        new ListStacksCommand({ NextToken, StackStatusFilter: ['DELETE_COMPLETE'] }),
      ),
    next: (page) => page.NextToken,
    items: (page) => page.StackSummaries,
  });
  const names = new Set(deleted.map((s) => s.StackName));
  return candidates.filter((r) => names.has(r.setIdentifier));
}

/** Removes the given leftovers, telling each with `code` (a warning): the record and why. */
export async function removeLeftovers(
  session: AwsSession,
  records: WeightedRecord[],
  options: { code: MessageCode; host?: IoHost; comment: string },
): Promise<void> {
  const host = options.host ?? silentHost;
  for (const r of records) {
    await removeRecords(session, [r], options.comment);
    host.notify({
      level: 'warn',
      code: options.code,
      text: `Removed the record ${describeRecord(r)} that CloudFormation left behind: its stack is deleted`,
      data: { name: r.name, setIdentifier: r.setIdentifier, weight: r.weight, zoneId: r.zoneId },
    });
  }
}

/**
 * Before a switch: records of the family's deleted versions found among the read records are removed
 * (saying so), and the switch reads and plans again without them; with `planOnly` they are only told.
 * True when something was removed.
 */
export async function removeDeletedVersionRecords(
  session: AwsSession,
  state: { name: string; family: StackVersionInfo[]; records: Map<string, WeightedRecord[]> },
  options: { host: IoHost; planOnly?: boolean },
): Promise<boolean> {
  const left = await deletedVersionRecords(session, state.name, state.family, [...state.records.values()].flat());
  if (left.length === 0) return false;
  if (options.planOnly) {
    for (const r of left) {
      options.host.notify({
        level: 'warn',
        code: 'senza.traffic-left-record',
        text: `The record ${describeRecord(r)} belongs to a deleted stack: the switch removes it`,
        data: { name: r.name, setIdentifier: r.setIdentifier, weight: r.weight, zoneId: r.zoneId },
      });
    }
    return false;
  }
  await removeLeftovers(session, left, {
    code: 'senza.traffic-left-record-removed',
    host: options.host,
    comment: `senza traffic ${state.name}: records of deleted versions`,
  });
  return true;
}

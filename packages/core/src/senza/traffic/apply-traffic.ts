import { ChangeResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import type { AwsSession } from '../../aws/aws-session.js';
import { changeBatches, type RecordChange, revertedChange } from './record-changes.js';

/**
 * Applying a traffic plan. Deviation from the original, on purpose: weights are written to Route53
 * directly, all changes of a hosted zone in ONE ChangeResourceRecordSets batch (Route53 applies a
 * batch atomically), instead of one CloudFormation UpdateStack per version. A failed or interrupted
 * command therefore never leaves a half-switched state, and it is fast. The weights then live in
 * Route53 only; `senza update` reads them back (liveStackWeights) so that an update keeps them.
 *
 * Each weight change is a compare-and-set: the batch DELETEs the record exactly as it was read and
 * CREATEs it with the new weight. Route53 rejects the whole batch (`InvalidChangeBatch`) when any record
 * changed in between, so two commands racing can never both apply, nor mix their weights.
 */

/**
 * Sends the changes: one ChangeResourceRecordSets per hosted zone. When a later zone's batch fails, the
 * zones already changed are set back (compare-and-set again), so the command changes all or nothing.
 * Returns the Route53 change ids.
 */
export async function applyTrafficChanges(session: AwsSession, changes: RecordChange[], comment?: string) {
  const send = (batch: ReturnType<typeof changeBatches>[number], note?: string) =>
    session.send(
      'route53',
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: batch.zoneId,
        ChangeBatch: { Comment: note, Changes: batch.changes },
      }),
      `${batch.zoneName} (${batch.zoneId})`,
    );
  const ids: string[] = [];
  const done: string[] = [];
  for (const batch of changeBatches(changes)) {
    try {
      const out = await send(batch, comment);
      if (out.ChangeInfo?.Id) ids.push(out.ChangeInfo.Id);
      done.push(batch.zoneId);
    } catch (e) {
      const back = changes.filter((c) => done.includes(c.zoneId)).map(revertedChange);
      for (const b of changeBatches(back)) await send(b, 'senza traffic: set back').catch(() => undefined);
      throw e;
    }
  }
  return ids;
}

/** The three answers of Route53 to a compare-and-set that another change came first to. */
const RACE_OUTCOMES = [
  'but it was not found',
  'but the values provided do not match the current values',
  'but it already exists',
];

/**
 * True when Route53 rejected a batch only because records it names are no longer as read (another
 * change won): an `InvalidChangeBatch` whose every message (Route53 lists them in one bracket,
 * comma-separated) ends in one of the three race answers. Any other `InvalidChangeBatch` (an alias
 * whose target is not found, weighted sets with different TTLs, …) will never go away by retrying.
 */
export function isChangeConflict(e: unknown): boolean {
  const err = e as { awsCode?: string; message?: string; cause?: unknown } | undefined;
  if (err?.awsCode !== 'InvalidChangeBatch') return false;
  const messages = route53Messages(err.cause instanceof Error ? err.cause.message : (err.message ?? ''));
  return messages.length > 0 && messages.every((m) => RACE_OUTCOMES.some((o) => m.endsWith(o)));
}

/** `[msg1, msg2]` → its messages; a message's own commas are followed by lower case (`…, but`, `, type=`). */
function route53Messages(text: string): string[] {
  const inner = /\[(.*)\]\s*$/s.exec(text.trim())?.[1] ?? text;
  return inner
    .split(/,\s+(?=[A-Z])/)
    .map((m) => m.trim().replace(/\.$/, ''))
    .filter((m) => m !== '');
}

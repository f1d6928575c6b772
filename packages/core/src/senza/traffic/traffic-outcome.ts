import type { AwsSession } from '../../aws/aws-session.js';
import type { RecordChange } from './record-changes.js';
import { weightedRecordsByName } from './route53-records.js';

/**
 * What Route 53 holds after a weight change whose answer was lost: every record at its new weight
 * (`applied`), every one still at its old weight (`not-applied`), some of each (`partly`), or, when the
 * records cannot be read either, `unknown`.
 */
export type TrafficOutcome = 'applied' | 'not-applied' | 'partly' | 'unknown';

export async function readBackOutcome(session: AwsSession, changes: RecordChange[]): Promise<TrafficOutcome> {
  let live: Awaited<ReturnType<typeof weightedRecordsByName>>;
  try {
    live = await weightedRecordsByName(session, [...new Set(changes.map((c) => c.name))]);
  } catch {
    return 'unknown';
  }
  let applied = 0;
  let old = 0;
  for (const c of changes) {
    const r = live
      .get(c.name)
      ?.find((x) => x.zoneId === c.zoneId && x.type === c.type && x.setIdentifier === c.setIdentifier);
    if (r?.weight === c.newWeight) applied++;
    else if (r?.weight === c.oldWeight) old++;
  }
  if (applied === changes.length) return 'applied';
  if (old === changes.length) return 'not-applied';
  return 'partly';
}

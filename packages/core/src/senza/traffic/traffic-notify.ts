import { PublishCommand } from '@aws-sdk/client-sns';
import type { AwsSession } from '../../aws/aws-session.js';
import type { Message } from '../../io/messages.js';
import { pythonJsonDumps } from '../../io/python-json.js';
import type { StackVersionInfo } from './traffic-discovery.js';
import type { TrafficRow } from './traffic-plan.js';

/**
 * Publishes the change rows (JSON, as the original) to every distinct notification ARN of the family,
 * subject `SenzaTrafficRedirect`. Failures become warnings: the weights are already set.
 */
export async function publishTrafficChange(
  session: AwsSession,
  family: StackVersionInfo[],
  rows: TrafficRow[],
): Promise<Message[]> {
  const arns = [...new Set(family.flatMap((s) => s.notificationArns))];
  if (arns.length === 0) return [];
  const message = pythonJsonDumps(rows);
  const results = await Promise.allSettled(
    arns.map((arn) =>
      session.send(
        'sns',
        new PublishCommand({ TopicArn: arn, Subject: 'SenzaTrafficRedirect', Message: message }),
        arn,
      ),
    ),
  );
  return results.flatMap((r, i): Message[] =>
    r.status === 'rejected'
      ? [
          {
            level: 'warn',
            code: 'senza.traffic-notify-failed',
            text: `Could not notify ${arns[i]}: ${(r.reason as Error)?.message ?? r.reason}`,
          },
        ]
      : [],
  );
}

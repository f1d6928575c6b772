import { randomUUID } from 'node:crypto';
import {
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  type DescribeStackEventsCommandOutput,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { AwsError } from '../errors.js';

/**
 * Idempotency of CloudFormation's state-changing calls. The SDK retries a call whose answer was lost (a
 * timeout, a dropped connection) although the first attempt may have been applied; without a token the
 * retry reports "already exists" for the stack this very call created. CloudFormation documents
 * `ClientRequestToken` (CreateStack, UpdateStack, DeleteStack; "Specify this token if you plan to retry
 * requests so that CloudFormation knows that you're not attempting to create a stack with the same name")
 * and `ClientToken` (CreateChangeSet). One token per call: the SDK's retries of that call reuse it.
 */
export function clientRequestToken(): string {
  // ClientToken must start with a letter; both allow [-a-zA-Z0-9] up to 128 characters.
  return `stups-${randomUUID()}`;
}

/** How far a platform's clock may be off ours when no token is recorded (seconds). */
const CLOCK_SLACK_MS = 60_000;

// biome-ignore lint/suspicious/noExplicitAny: generic over every SDK command
type Sender = (command: any) => Promise<any>;

/**
 * When a retried attempt of a call with our token fails as if someone else had been first, find out
 * whether that "someone" was the call's own earlier attempt, and if so answer as that attempt would
 * have. Returns undefined when it was not (or cannot be shown to be): the error then stands.
 */
export async function answerOfOwnEarlierAttempt(
  send: Sender,
  operation: string,
  // biome-ignore lint/suspicious/noExplicitAny: SDK command input
  input: any,
  error: unknown,
  startedAt: number,
): Promise<Record<string, unknown> | undefined> {
  if (!(error instanceof AwsError)) return undefined;
  // biome-ignore lint/suspicious/noExplicitAny: SDK error metadata
  const attempts: number = (error.cause as any)?.$metadata?.attempts ?? 1;
  if (attempts < 2) return undefined;
  if (operation === 'CreateStack' && error.awsCode === 'AlreadyExistsException' && input?.ClientRequestToken) {
    return ownStackOperation(send, input.StackName, input.ClientRequestToken, 'CREATE_IN_PROGRESS', startedAt);
  }
  if (
    operation === 'UpdateStack' &&
    error.awsCode === 'ValidationError' &&
    // AWS answers a retry with the same token as the first attempt; a platform that ignores tokens says the
    // stack is busy, or (having applied it at once) that there is nothing to update.
    /UPDATE_IN_PROGRESS|UPDATE_COMPLETE_CLEANUP_IN_PROGRESS|No updates are to be performed/.test(error.message) &&
    input?.ClientRequestToken
  ) {
    return ownStackOperation(send, input.StackName, input.ClientRequestToken, 'UPDATE_IN_PROGRESS', startedAt);
  }
  if (operation === 'CreateChangeSet' && error.awsCode === 'AlreadyExistsException' && input?.ClientToken) {
    // Change sets carry no token to compare; one that appeared since this call began is its own.
    const cs = await send(
      new DescribeChangeSetCommand({ StackName: input.StackName, ChangeSetName: input.ChangeSetName }),
    );
    const created = cs?.CreationTime ? new Date(cs.CreationTime).getTime() : 0;
    if (created >= startedAt - CLOCK_SLACK_MS) return { Id: cs.ChangeSetId, StackId: cs.StackId };
  }
  return undefined;
}

/**
 * The stack operation this call started: the newest stack-level `status` event carries our token (AWS
 * records it on every event of the operation); a platform that records no tokens gets the event's time.
 */
async function ownStackOperation(
  send: Sender,
  stackName: string,
  token: string,
  status: string,
  startedAt: number,
): Promise<Record<string, unknown> | undefined> {
  const page: DescribeStackEventsCommandOutput = await send(new DescribeStackEventsCommand({ StackName: stackName }));
  const started = (page.StackEvents ?? []).find(
    (ev) => ev.ResourceType === 'AWS::CloudFormation::Stack' && ev.ResourceStatus === status,
  );
  if (!started) return undefined;
  const ours = started.ClientRequestToken
    ? started.ClientRequestToken === token
    : (started.Timestamp ? new Date(started.Timestamp).getTime() : 0) >= startedAt - CLOCK_SLACK_MS;
  if (!ours) return undefined;
  const stackId =
    started.StackId ?? (await send(new DescribeStacksCommand({ StackName: stackName })))?.Stacks?.[0]?.StackId;
  return { StackId: stackId };
}

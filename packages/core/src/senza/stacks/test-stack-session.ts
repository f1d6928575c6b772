/**
 * An AwsSession stand-in for engine tests (test files only): answers each operation with a handler,
 * records every call. Faults are thrown as the real session maps them (AwsError with the AWS code).
 */
import type { AwsSession } from '../../aws/aws-session.js';
import { AwsError } from '../../errors.js';

// biome-ignore lint/suspicious/noExplicitAny: handlers return SDK-shaped plain objects
export type Handler = (input: any) => any;

export class FakeStackSession {
  readonly calls: { operation: string; input: Record<string, unknown> }[] = [];
  constructor(readonly handlers: Record<string, Handler>) {}

  // biome-ignore lint/suspicious/noExplicitAny: mirrors AwsSession.send
  async send(_service: string, command: any): Promise<any> {
    const operation = String(command.constructor.name).replace(/Command$/, '');
    this.calls.push({ operation, input: command.input });
    const handler = this.handlers[operation];
    if (!handler) throw new Error(`unexpected call ${operation}`);
    return handler(command.input);
  }

  operations(): string[] {
    return this.calls.map((c) => c.operation);
  }

  /** The fake ignores abort signals: its answers never hang. */
  withSignal(): AwsSession {
    return this.asSession();
  }

  asSession(): AwsSession {
    return this as unknown as AwsSession;
  }
}

export function awsFault(operation: string, awsCode: string, message: string): AwsError {
  return new AwsError('CloudFormation', operation, message, { awsCode });
}

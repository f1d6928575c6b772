import type { IoHost } from '../../../io/messages.js';
import type { CompiledStack } from '../../template/template.js';

// What `senza create` and `senza update` share: their options, their result, the parameters they send.
export interface StackOperationOptions {
  host?: IoHost;
  dryRun?: boolean;
  disableRollback?: boolean;
}

/** What a create or update did; `stackId` and `afterEventId` let a watcher follow the operation. */
export interface StackOperationResult {
  stackName: string;
  operation: 'create' | 'update';
  outcome: 'dry-run' | 'created' | 'updated' | 'no-update';
  stackId?: string;
  /** The newest event before the operation started (undefined for a new stack). */
  afterEventId?: string;
}

/** Parameters as CloudFormation takes them (a parameter without value is left to its default). */
export function stackParameters(compiled: CompiledStack): { ParameterKey: string; ParameterValue?: string }[] {
  return compiled.parameters.map((p) =>
    p.ParameterValue === null
      ? { ParameterKey: p.ParameterKey }
      : { ParameterKey: p.ParameterKey, ParameterValue: p.ParameterValue },
  );
}

/**
 * What the layer has seen happen to stacks, for the events moto does not write: per stack operation,
 * the resource events that belong between the stack's `*_IN_PROGRESS` event and its final one.
 */
/** `UPDATE_ROLLBACK`: an update the layer failed and rolled back itself (moto never saw it). */
export type StackOperationKind = 'CREATE' | 'UPDATE' | 'DELETE' | 'UPDATE_ROLLBACK';

export interface SyntheticEvent {
  logicalId: string;
  physicalId: string;
  type: string;
  status: string;
  reason?: string;
  /** Layer clock (ms) when it happened, for events after moto answered (signals, a timeout); else placed after the operation's start. */
  at?: number;
}

export interface StackOperation {
  stackId: string;
  stackName: string;
  kind: StackOperationKind;
  /** Layer clock (ms) when the request arrived and when moto answered. */
  startedAt: number;
  endedAt: number;
  /** Resource events, oldest first. */
  events: SyntheticEvent[];
  /** Events that replace moto's final stack event (a creation that failed), oldest first. */
  ending?: SyntheticEvent[];
}

/** The state a stack shows instead of moto's, after a creation failed by the fault switch. */
export interface StackStatusOverride {
  status: 'ROLLBACK_IN_PROGRESS' | 'ROLLBACK_COMPLETE' | 'CREATE_FAILED';
  reason: string;
  /** Logical id of the placeholder resource moto holds for the failed stack. */
  placeholder: string;
  /** The stack keeps its resources (a creation failed with rollback disabled): they stay listed. */
  keepResources?: boolean;
}

export class StackEventLog {
  private readonly operations = new Map<string, StackOperation[]>();
  private readonly overrides = new Map<string, StackStatusOverride>();
  /** Stacks whose last update failed and rolled back without moto seeing it (stack-record-sets). */
  private readonly updateRollbacks = new Set<string>();

  record(op: StackOperation): void {
    const list = this.operations.get(op.stackId) ?? [];
    list.push(op);
    this.operations.set(op.stackId, list);
  }

  of(stackId: string): StackOperation[] {
    return this.operations.get(stackId) ?? [];
  }

  override(stackId: string, value: StackStatusOverride): void {
    this.overrides.set(stackId, value);
  }

  overrideOf(stackId: string): StackStatusOverride | undefined {
    return this.overrides.get(stackId);
  }

  get hasOverrides(): boolean {
    return this.overrides.size > 0;
  }

  updateRolledBack(stackId: string): void {
    this.updateRollbacks.add(stackId);
  }

  clearUpdateRollback(stackId: string): void {
    this.updateRollbacks.delete(stackId);
  }

  isUpdateRolledBack(stackId: string): boolean {
    return this.updateRollbacks.has(stackId);
  }

  get hasUpdateRollbacks(): boolean {
    return this.updateRollbacks.size > 0;
  }
}

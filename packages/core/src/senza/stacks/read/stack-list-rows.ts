import type { StackSummary } from './list-stacks.js';
import { byStringKeys, epochSeconds } from './stack-tables.js';

/** A row of `senza list`. */
export interface StackListRow {
  stack_name: string;
  version: string;
  status: string;
  creation_time: number | null;
  description: string | null;
}

/** `senza list` rows, ordered by (name, version) as strings like the original. */
export function stackListRows(stacks: StackSummary[]): StackListRow[] {
  return stacks
    .map((s) => ({
      stack_name: s.name,
      version: s.version,
      status: s.status,
      creation_time: epochSeconds(s.creationTime),
      description: s.description ?? null,
    }))
    .sort(
      byStringKeys(
        (r) => r.stack_name,
        (r) => r.version,
      ),
    );
}

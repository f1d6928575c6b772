import type { StackOperation } from './stack-event-log.js';

/** One resource with a `CreationPolicy.ResourceSignal`, waiting for its signals. */
export interface AwaitedResource {
  logicalId: string;
  type: string;
  physicalId: string;
  /** `ResourceSignal.Count`: SUCCESS signals needed. */
  count: number;
  /** UniqueIds that signalled SUCCESS (a repeated one counts once). */
  received: Set<string>;
  /** Layer clock (ms) when its `Timeout` ends. */
  deadline: number;
  /** Set once the resource failed (a FAILURE signal, the timeout): the reason AWS gives. */
  failed?: string;
}

/** A stack creation held in `CREATE_IN_PROGRESS` until its resources have their signals (or fail). */
export interface SignalWait {
  stackId: string;
  stackName: string;
  region: string;
  /** The creation's events (recorded by `stack-events`): signals and the ending are added to it. */
  operation: StackOperation;
  resources: Map<string, AwaitedResource>;
  /** `OnFailure=DO_NOTHING` or `DisableRollback=true`: a failure leaves the stack `CREATE_FAILED`. */
  noRollback: boolean;
  /** `waiting` until every resource has its signals; `failed` with rollback disabled (resources stay). */
  state: 'waiting' | 'failed';
  timer?: NodeJS.Timeout;
}

/** Test setting (environment of `up`): caps every `ResourceSignal.Timeout`, in seconds. */
export const SIGNAL_TIMEOUT_ENV = 'STUPS_LOCAL_SIGNAL_TIMEOUT';

/** The stacks whose creation waits for resource signals (or failed while waiting), by stack id. */
export class SignalWaits {
  private readonly waits = new Map<string, SignalWait>();

  /** @param timeoutCapSeconds caps each template's timeout (tests); undefined: the template's. */
  constructor(readonly timeoutCapSeconds?: number) {}

  add(wait: SignalWait): void {
    this.waits.set(wait.stackId, wait);
  }

  of(stackId: string): SignalWait | undefined {
    return this.waits.get(stackId);
  }

  /** By stack id, or by name among the stacks that wait (a name is unique among live stacks). */
  find(nameOrId: string): SignalWait | undefined {
    const byId = this.waits.get(nameOrId);
    if (byId) return byId;
    for (const w of this.waits.values()) if (w.stackName === nameOrId) return w;
    return undefined;
  }

  remove(stackId: string): void {
    const w = this.waits.get(stackId);
    if (w) clearTimeout(w.timer);
    this.waits.delete(stackId);
  }

  get size(): number {
    return this.waits.size;
  }

  /** Milliseconds the layer waits for a template's `Timeout`, capped by the test setting. */
  timeoutMs(templateSeconds: number): number {
    const cap = this.timeoutCapSeconds;
    return (cap !== undefined && cap > 0 ? Math.min(templateSeconds, cap) : templateSeconds) * 1000;
  }
}

/** An ISO-8601 duration as CloudFormation takes it (`PT15M`, `PT1H30M`, `PT45S`) in seconds; undefined if not one. */
export function durationSeconds(text: string): number | undefined {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(text.trim());
  if (!m || (!m[1] && !m[2] && !m[3])) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

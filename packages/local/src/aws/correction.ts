import type { PlatformLinks } from '../contract/links.js';
import type { AwsResponse } from './aws-errors.js';
import type { AwsRequest } from './aws-request.js';
import type { FaultSwitch } from './faults.js';
import type { MotoClients } from './moto-clients.js';
import type { SignalWaits } from './signal-waits.js';
import type { StackEventLog } from './stack-event-log.js';

// The contract between the AWS layer (aws-proxy.ts) and its corrections: a module of its own, so a
// correction needs nothing from the layer that runs it.

/** Passes a request on (to the next correction, finally to moto) and returns the answer. */
export type Forward = (req: AwsRequest) => Promise<AwsResponse>;

/**
 * One way in which moto differs from AWS, and its repair: it sees every request on its way to moto
 * and every answer on its way back, and may change either, or call moto itself.
 */
export interface Correction {
  name: string;
  handle(req: AwsRequest, next: Forward, layer: LayerContext): Promise<AwsResponse>;
}

/** What the corrections share. */
export interface LayerContext {
  moto: MotoClients;
  /** Regions the layer has seen requests for: where to look for load balancers named in Route53. */
  regions: Set<string>;
  defaultRegion: string;
  faults: FaultSwitch;
  events: StackEventLog;
  /** Stack creations held until their resources receive their signals (resource-signals). */
  signals: SignalWaits;
  /** Runs `fn` alone: operations that snapshot and repair moto state must not interleave. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** The runtime's containers and health checks, when it runs (filled in by the runtime service). */
  links: PlatformLinks;
  /** The day the emulated account was created (`YYYY-MM-DD`): what AWS offers depends on it. */
  accountCreatedOn: string;
}

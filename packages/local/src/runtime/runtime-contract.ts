/**
 * The runtime's own contract: the router and the containers' side. What the parts of the platform show
 * each other (instances, health, `PlatformLinks`) is in contract/links.ts, re-exported here.
 */

export type {
  HealthSource,
  InstanceHealth,
  InstanceSource,
  PlatformLinks,
  RuntimeInstance,
} from '../contract/links.js';

import type { HealthSource, InstanceSource } from '../contract/links.js';

/** The weighted router: the HTTP entry to the stacks' containers (router.ts). */
export interface RouterOptions {
  /** moto, read directly (Route53 records, load balancers, their health-check settings). */
  motoEndpoint: string;
  /**
   * The AWS endpoint (the correcting layer), where the load balancer metrics are published
   * (PutMetricData, signed as any client's), so the layer sees them as AWS would: its alarms evaluate them.
   */
  awsEndpoint: string;
  region: string;
  instances: InstanceSource;
  /** Loopback port; 0 or left out for an ephemeral one. */
  port?: number;
  /** Caps every load balancer's health-check interval, in seconds (tests and the demo use 1). */
  maxHealthIntervalSeconds?: number;
}

export interface Router {
  /** `http://127.0.0.1:<port>`: the value of STUPS_LOCAL_HTTP. */
  endpoint: string;
  port: number;
  health: HealthSource;
  close(): Promise<void>;
}

/** The containers' side (runtime.ts). */
export interface RuntimeOptions {
  stateDir: string;
  region: string;
  /** moto, read directly (groups, launch configurations, instances, KMS). */
  motoEndpoint: string;
  /** `user`: DOCKER_HOST or the default socket; `private`: a dockerd of our own under the state directory. */
  engine: 'user' | 'private';
  /** What the services before it export (the Pier One registry's endpoint, the OAuth provider's). */
  environment: Record<string, string>;
}

export interface Runtime extends InstanceSource {
  /** What `status` shows, e.g. `Docker 20.10.24 (private dockerd, PID 123)`. */
  engineSummary: string;
  /** Appends a line to the runtime's log (`runtime.log` in the state directory). */
  note(text: string): void;
  /** Stops the containers it started, their forwarders and a private dockerd. */
  close(): Promise<void>;
}

/** The response header, set by the router, naming the stack version that served the request. */
export const SERVED_BY_HEADER = 'x-stups-stack';

/** Where `stups-local up` exports the router's endpoint. */
export const ROUTER_ENV = 'STUPS_LOCAL_HTTP';

/** Test and demo setting (environment of `up`): caps every ELB health-check interval, in seconds. */
export const HEALTH_INTERVAL_ENV = 'STUPS_LOCAL_HEALTH_INTERVAL';

/**
 * What the parts of the local runtime show each other, in the platform daemon's one process: the
 * containers (runtime.ts) show the router and the AWS layer which instances run where; the router's
 * health checks show the layer what an ELB would report. The runtime service fills in `PlatformLinks`
 * when it starts; the layer's corrections read it on each request and answer as moto does when a part
 * is missing (no Docker engine, or the runtime not started yet).
 */

/** One EC2 instance of a stack version as the runtime runs it: a container, reached through its forwarders. */
export interface RuntimeInstance {
  instanceId: string;
  /** The stack version's stack name, e.g. `hello-world-v1`. */
  stackName: string;
  region: string;
  /** Empty when the instance has no container (its image is missing: see the runtime log). */
  containerId: string;
  /** Per container port (Taupage `ports` value), the unix socket of its forwarder in the state directory. */
  sockets: Record<number, string>;
  /** The container runs and its forwarders listen (false while it is restarting or after it died). */
  running: boolean;
}

/** The containers, as the runtime runs them. */
export interface InstanceSource {
  instances(): readonly RuntimeInstance[];
  /** The container's recent output (stdout and stderr); undefined for an instance it does not run. */
  consoleOutput(instanceId: string): Promise<string | undefined>;
  /** Reconcile soon: the layer calls it after a request that changes stacks, groups or instances. */
  poke(): void;
}

export interface InstanceHealth {
  instanceId: string;
  state: 'InService' | 'OutOfService';
  /** As ELB's DescribeInstanceHealth: `ELB` (failed checks), `Instance` (not running), `N/A`. */
  reasonCode: 'ELB' | 'Instance' | 'N/A';
  description: string;
}

/** What the router's health checks see. */
export interface HealthSource {
  /** Per instance registered with the load balancer; undefined when the router does not check it. */
  instanceHealth(loadBalancerName: string, region: string): readonly InstanceHealth[] | undefined;
}

/** Filled in by the runtime service when it starts; read by the AWS layer's corrections on each request. */
export interface PlatformLinks {
  /** moto itself, set by the aws service (the runtime reads groups and launch configurations there). */
  motoEndpoint?: string;
  /** The AWS endpoint (the correcting layer), set by the aws service: what clients of the platform call. */
  awsEndpoint?: string;
  instances?: InstanceSource;
  health?: HealthSource;
}

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

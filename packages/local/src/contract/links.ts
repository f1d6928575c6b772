/**
 * What the parts of the local platform show each other, in the platform daemon's one process: the
 * containers (runtime/runtime.ts) show the router and the AWS layer which instances run where; the
 * router's health checks show the layer what an ELB would report. The runtime service fills in
 * `PlatformLinks` when it starts; the layer's corrections read it on each request and answer as moto does
 * when a part is missing (no Docker engine, or the runtime not started yet).
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
  /**
   * Failed health checks: what the last one got, an HTTP status that did not match or a timeout
   * (neither: the connection failed). An ELBv2 target group tells these apart in its reason code.
   */
  lastCheck?: { status?: number; timedOut?: boolean };
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

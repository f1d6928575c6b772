import type { StackEvent } from '../stacks/watch/stack-events-watch.js';

/** One Auto Scaling activity (DescribeScalingActivities), reduced to what a diagnosis reads. */
export interface ScalingActivity {
  activityId: string;
  /** `Successful`, `Failed`, `Cancelled`, `InProgress`, ... */
  statusCode: string;
  statusMessage?: string;
  description?: string;
  cause?: string;
  startTime?: Date;
}

/** The console output of one instance (GetConsoleOutput), as lines. */
export interface InstanceConsole {
  instanceId: string;
  lines: string[];
}

/**
 * One answer of a load balancer about one instance: DescribeInstanceHealth (classic ELB: `InService`,
 * `OutOfService`, reason code `Instance` / `ELB`) or DescribeTargetHealth (ELBv2: `healthy`, `unhealthy`,
 * reason `Target.ResponseCodeMismatch`, `Target.Timeout`, ...). A watch records one per poll.
 */
export interface HealthObservation {
  instanceId: string;
  /** The load balancer or target group asked. */
  source: string;
  state: string;
  reasonCode?: string;
  description?: string;
  /** What the load balancer checks (`HTTP:8080/health`), when known. */
  check?: string;
  at: Date;
}

/** What the image's registry answered. */
export interface ImageAnswer {
  image: string;
  /** true: the tag exists; false: it does not; null: the registry wants credentials this identity lacks. */
  exists: boolean | null;
  /** The registry could not be asked (unreachable, an error): no verdict from it. */
  error?: string;
}

/** Everything known about one stack version at one moment: the classifier's only input. */
export interface DiagnosisEvidence {
  /** The senza stack name (without version). */
  name: string;
  version: string;
  /** The stack's status; undefined when there is no such stack. */
  stackStatus?: string;
  /** Events of the stack and its nested stacks, oldest first. */
  events: StackEvent[];
  /** Scaling activities of the stack's Auto Scaling groups, oldest first. */
  scalingActivities: ScalingActivity[];
  consoles: InstanceConsole[];
  /** Health answers over time, oldest first. */
  health: HealthObservation[];
  /** The registry's answer for the Taupage `source` image, when the version has one. */
  image?: ImageAnswer;
}

export function emptyEvidence(name: string, version: string): DiagnosisEvidence {
  return { name, version, events: [], scalingActivities: [], consoles: [], health: [] };
}

import { ACMClient } from '@aws-sdk/client-acm';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EC2InstanceConnectClient } from '@aws-sdk/client-ec2-instance-connect';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { awsRequestAgents } from '../http/network-agents.js';
import { mapAwsError } from './aws-errors.js';
import { type AwsTimeouts, DEFAULT_AWS_TIMEOUTS } from './aws-timeouts.js';
import { answerOfOwnEarlierAttempt } from './client-request-token.js';
import { awsProfile } from './region.js';

/**
 * One place that creates AWS SDK v3 clients: region, default credential chain, the SDK's standard
 * AWS_ENDPOINT_URL(_<SERVICE>) handling, adaptive retries, connect and request timeouts, an optional
 * abort signal for every call, and one error mapping. The SDK is imported statically, here and at each
 * call site, so that the bundle keeps only the clients and the commands that are used (the ES builds
 * tree-shake); the bundle's lazy chunks keep `senza --help` free of it.
 */
export interface AwsSessionOptions {
  region: string;
  /** Maximum attempts per call, including retries of throttled or failed requests. */
  maxAttempts?: number;
  /** Called once per API request (after retries are counted separately by the SDK). */
  onCall?: (call: AwsCall) => void;
  /**
   * Defaults to DEFAULT_AWS_TIMEOUTS. `requestMs` bounds each call in all (every attempt, retry and
   * back-off): retries happen only within it.
   */
  timeouts?: AwsTimeouts;
  /** Stops every call of this session (Ctrl-C, a command's deadline). */
  signal?: AbortSignal;
}

export interface AwsCall {
  service: string;
  operation: string;
}

// biome-ignore lint/suspicious/noExplicitAny: SDK clients share no useful common type for send()
type AnyClient = { send(command: any, options?: any): Promise<any>; middlewareStack: any; destroy(): void };

const loaders = {
  cloudformation: () => CloudFormationClient,
  ec2: () => EC2Client,
  ec2InstanceConnect: () => EC2InstanceConnectClient,
  route53: () => Route53Client,
  iam: () => IAMClient,
  acm: () => ACMClient,
  sts: () => STSClient,
  sns: () => SNSClient,
  kms: () => KMSClient,
  s3: () => S3Client,
  elb: () => ElasticLoadBalancingClient,
  elbv2: () => ElasticLoadBalancingV2Client,
  autoscaling: () => AutoScalingClient,
  cloudwatch: () => CloudWatchClient,
} as const;

export type AwsService = keyof typeof loaders;

const SERVICE_TITLES: Record<AwsService, string> = {
  cloudformation: 'CloudFormation',
  ec2: 'EC2',
  ec2InstanceConnect: 'EC2 Instance Connect',
  route53: 'Route53',
  iam: 'IAM',
  acm: 'ACM',
  sts: 'STS',
  sns: 'SNS',
  kms: 'KMS',
  s3: 'S3',
  elb: 'ELB',
  elbv2: 'ELBv2',
  autoscaling: 'AutoScaling',
  cloudwatch: 'CloudWatch',
};

/**
 * Calls that AWS applies again when they are repeated, with no idempotency token to tell a retry from a new
 * request (a second SNS notice, a second termination). The SDK retries every call after a timeout or a
 * dropped connection; these are retried only when the request was refused unapplied (throttling, no
 * connection). CloudFormation's state-changing calls carry a ClientRequestToken instead (client-request-token.ts).
 */
const NOT_IDEMPOTENT = new Set(['Publish', 'TerminateInstanceInAutoScalingGroup']);
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'PriorRequestNotComplete',
  'SlowDown',
  'EC2ThrottledException',
  'BandwidthLimitExceeded',
  'LimitExceededException',
]);
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The service refused the request without applying it (throttling, a 4xx), or it never left this machine. */
function refusedUnapplied(e: unknown): boolean {
  // biome-ignore lint/suspicious/noExplicitAny: SDK error shapes
  const err = e as any;
  const status = err?.$metadata?.httpStatusCode;
  return THROTTLING.has(err?.name) || NEVER_CONNECTED.has(err?.code) || (typeof status === 'number' && status < 500);
}

export class AwsSession {
  readonly region: string;
  readonly calls: AwsCall[];
  readonly timeouts: AwsTimeouts;
  readonly signal?: AbortSignal;
  private readonly clients: Map<AwsService, Promise<AnyClient>>;
  private readonly options: AwsSessionOptions;

  constructor(options: AwsSessionOptions, shared?: { calls: AwsCall[]; clients: Map<AwsService, Promise<AnyClient>> }) {
    this.options = options;
    this.region = options.region;
    this.timeouts = options.timeouts ?? DEFAULT_AWS_TIMEOUTS;
    this.signal = options.signal;
    this.calls = shared?.calls ?? [];
    this.clients = shared?.clients ?? new Map();
  }

  /**
   * The same session (clients, call log) whose calls also stop when `signal` fires: a command's
   * deadline or Ctrl-C reaches a request in flight, not only the sleep between polls.
   */
  withSignal(signal: AbortSignal | undefined): AwsSession {
    if (!signal || signal === this.signal) return this;
    const combined = this.signal ? AbortSignal.any([this.signal, signal]) : signal;
    return new AwsSession({ ...this.options, signal: combined }, { calls: this.calls, clients: this.clients });
  }

  private client(service: AwsService): Promise<AnyClient> {
    let p = this.clients.get(service);
    if (!p) {
      p = Promise.resolve().then(async () => {
        const Ctor = loaders[service]();
        // HTTPS_PROXY / HTTP_PROXY / NO_PROXY and AWS_CA_BUNDLE, as botocore honours them (SDK v3 reads none).
        const agents = await awsRequestAgents(process.env);
        // AWS_RETRY_MODE / AWS_MAX_ATTEMPTS still win: the SDK reads them when these are not given.
        const config: Record<string, unknown> = {
          region: this.region,
          requestHandler: {
            connectionTimeout: this.timeouts.connectMs,
            requestTimeout: this.timeouts.requestMs,
            throwOnRequestTimeout: true,
            ...(agents?.httpAgent ? { httpAgent: agents.httpAgent } : {}),
            ...(agents ? { httpsAgent: agents.httpsAgent } : {}),
          },
        };
        // The SDK reads AWS_PROFILE only; AWS_DEFAULT_PROFILE (which region.ts and the original honour)
        // must select the credentials too, or a command runs with one profile's region and another's account.
        const profile = awsProfile();
        if (profile) config.profile = profile;
        if (!process.env.AWS_RETRY_MODE) config.retryMode = 'adaptive';
        if (this.options.maxAttempts !== undefined) config.maxAttempts = this.options.maxAttempts;
        else if (!process.env.AWS_MAX_ATTEMPTS) config.maxAttempts = 6;
        // biome-ignore lint/suspicious/noExplicitAny: constructor signatures differ per service
        const client = new (Ctor as any)(config) as AnyClient;
        client.middlewareStack.add(
          // biome-ignore lint/suspicious/noExplicitAny: smithy middleware types
          (next: any, context: any) => async (args: any) => {
            const call = {
              service: SERVICE_TITLES[service],
              operation: String(context.commandName ?? '').replace(/Command$/, ''),
            };
            this.calls.push(call);
            this.options.onCall?.(call);
            return next(args);
          },
          { step: 'finalizeRequest', name: 'stupsCallCounter', priority: 'low' },
        );
        return client;
      });
      this.clients.set(service, p);
    }
    return p;
  }

  /**
   * Sends one command and maps SDK failures to typed errors that name the service, operation and
   * resource. `command` is an SDK command instance from the service's package.
   */
  // biome-ignore lint/suspicious/noExplicitAny: generic over every SDK command
  async send<T = any>(service: AwsService, command: any, resource?: string): Promise<T> {
    const client = await this.client(service);
    const signal = this.signal;
    let endpoint: string | undefined;
    // Per command, so that concurrent calls each know where their own request went.
    command.middlewareStack.add(
      // biome-ignore lint/suspicious/noExplicitAny: smithy middleware types
      (next: any) => async (args: any) => {
        const r = args.request;
        if (r?.hostname) endpoint = `${r.protocol ?? 'https:'}//${r.hostname}${r.port ? `:${r.port}` : ''}`;
        return next(args);
      },
      { step: 'finalizeRequest', name: 'stupsEndpointOf', priority: 'low' },
    );
    // A call that is not idempotent and has no token is retried only when it cannot have been applied.
    let unretried: unknown;
    if (NOT_IDEMPOTENT.has(String(command?.constructor?.name ?? '').replace(/Command$/, ''))) {
      command.middlewareStack.add(
        // biome-ignore lint/suspicious/noExplicitAny: smithy middleware types
        (next: any) => async (args: any) => {
          try {
            return await next(args);
          } catch (e) {
            if (refusedUnapplied(e)) throw e;
            unretried = e;
            throw Object.assign(new Error('not retried: the request may have been applied'), { name: 'NotRetried' });
          }
        },
        { step: 'finalizeRequest', name: 'stupsNoUnsafeRetry', priority: 'low' },
      );
    }
    // The call's whole budget, retries and back-off included: a silent or dripping endpoint ends the call
    // (an inactivity timeout alone lets one byte every few seconds hold it for ever).
    const deadline = AbortSignal.timeout(this.timeouts.requestMs);
    const startedAt = Date.now();
    const operation = String(command?.constructor?.name ?? 'Call').replace(/Command$/, '');
    try {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      const abortSignal = signal ? AbortSignal.any([signal, deadline]) : deadline;
      return (await client.send(command, { abortSignal })) as T;
    } catch (e) {
      const mapped = mapAwsError(SERVICE_TITLES[service], operation, unretried ?? e, {
        resource,
        endpoint,
        timeouts: this.timeouts,
        signal,
        deadline,
        region: this.region,
      });
      // A retried call with our idempotency token that met its own earlier (applied) attempt succeeded.
      if (service === 'cloudformation' && (command?.input?.ClientRequestToken || command?.input?.ClientToken)) {
        const own = await answerOfOwnEarlierAttempt(
          (c) => this.send('cloudformation', c, resource),
          operation,
          command.input,
          mapped,
          startedAt,
        ).catch(() => undefined);
        if (own) return own as T;
      }
      throw mapped;
    }
  }

  destroy(): void {
    for (const p of this.clients.values())
      p.then(
        (c) => c.destroy(),
        () => {},
      );
  }
}

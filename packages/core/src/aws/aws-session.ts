import { mapAwsError } from './aws-errors.js';
import { type AwsTimeouts, DEFAULT_AWS_TIMEOUTS } from './aws-timeouts.js';
import { sdk } from './sdk-modules.js';

/**
 * One place that creates AWS SDK v3 clients: region, default credential chain, the SDK's standard
 * AWS_ENDPOINT_URL(_<SERVICE>) handling, adaptive retries, connect and request timeouts, an optional
 * abort signal for every call, and one error mapping. Client packages are
 * imported lazily so that a command only loads the services it calls.
 */
export interface AwsSessionOptions {
  region: string;
  /** Maximum attempts per call, including retries of throttled or failed requests. */
  maxAttempts?: number;
  /** Called once per API request (after retries are counted separately by the SDK). */
  onCall?: (call: AwsCall) => void;
  /** Per request; defaults to DEFAULT_AWS_TIMEOUTS (each timed-out attempt is retried by the SDK). */
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
  cloudformation: () => sdk.cloudformation().CloudFormationClient,
  ec2: () => sdk.ec2().EC2Client,
  route53: () => sdk.route53().Route53Client,
  iam: () => sdk.iam().IAMClient,
  acm: () => sdk.acm().ACMClient,
  sts: () => sdk.sts().STSClient,
  sns: () => sdk.sns().SNSClient,
  kms: () => sdk.kms().KMSClient,
  s3: () => sdk.s3().S3Client,
  elb: () => sdk.elb().ElasticLoadBalancingClient,
  elbv2: () => sdk.elbv2().ElasticLoadBalancingV2Client,
  autoscaling: () => sdk.autoscaling().AutoScalingClient,
  cloudwatch: () => sdk.cloudwatch().CloudWatchClient,
} as const;

export type AwsService = keyof typeof loaders;

const SERVICE_TITLES: Record<AwsService, string> = {
  cloudformation: 'CloudFormation',
  ec2: 'EC2',
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
      p = Promise.resolve().then(() => {
        const Ctor = loaders[service]();
        // AWS_RETRY_MODE / AWS_MAX_ATTEMPTS still win: the SDK reads them when these are not given.
        const config: Record<string, unknown> = {
          region: this.region,
          requestHandler: {
            connectionTimeout: this.timeouts.connectMs,
            requestTimeout: this.timeouts.requestMs,
            throwOnRequestTimeout: true,
          },
        };
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
    try {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      return (await client.send(command, signal ? { abortSignal: signal } : undefined)) as T;
    } catch (e) {
      throw mapAwsError(
        SERVICE_TITLES[service],
        String(command?.constructor?.name ?? 'Call').replace(/Command$/, ''),
        e,
        {
          resource,
          endpoint,
          timeouts: this.timeouts,
          signal,
          region: this.region,
        },
      );
    }
  }

  destroy(): void {
    for (const p of this.clients.values()) void p.then((c) => c.destroy());
  }
}

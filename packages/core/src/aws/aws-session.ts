import { AuthError, AwsError, ExitCode } from '../errors.js';
import { sdk } from './sdk-modules.js';

/**
 * One place that creates AWS SDK v3 clients: region, default credential chain, the SDK's standard
 * AWS_ENDPOINT_URL(_<SERVICE>) handling, adaptive retries, and one error mapping. Client packages are
 * imported lazily so that a command only loads the services it calls.
 */
export interface AwsSessionOptions {
  region: string;
  /** Maximum attempts per call, including retries of throttled or failed requests. */
  maxAttempts?: number;
  /** Called once per API request (after retries are counted separately by the SDK). */
  onCall?: (call: AwsCall) => void;
}

export interface AwsCall {
  service: string;
  operation: string;
}

// biome-ignore lint/suspicious/noExplicitAny: SDK clients share no useful common type for send()
type AnyClient = { send(command: any): Promise<any>; middlewareStack: any; destroy(): void };

const loaders = {
  cloudformation: () => sdk.cloudformation().CloudFormationClient,
  ec2: () => sdk.ec2().EC2Client,
  ec2InstanceConnect: () => sdk.ec2InstanceConnect().EC2InstanceConnectClient,
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

const CREDENTIALS_MISSING =
  /CredentialsProviderError|Could not load credentials|Unable to locate credentials|Missing credentials/i;
const EXPIRED_CODES = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const DENIED_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'AuthFailure',
  'UnrecognizedClientException',
]);

export class AwsSession {
  readonly region: string;
  readonly calls: AwsCall[] = [];
  private readonly clients = new Map<AwsService, Promise<AnyClient>>();
  private readonly options: AwsSessionOptions;

  constructor(options: AwsSessionOptions) {
    this.options = options;
    this.region = options.region;
  }

  private client(service: AwsService): Promise<AnyClient> {
    let p = this.clients.get(service);
    if (!p) {
      p = Promise.resolve().then(() => {
        const Ctor = loaders[service]();
        // AWS_RETRY_MODE / AWS_MAX_ATTEMPTS still win: the SDK reads them when these are not given.
        const config: Record<string, unknown> = { region: this.region };
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
    try {
      return (await client.send(command)) as T;
    } catch (e) {
      throw mapAwsError(
        SERVICE_TITLES[service],
        String(command?.constructor?.name ?? 'Call').replace(/Command$/, ''),
        e,
        resource,
      );
    }
  }

  destroy(): void {
    for (const p of this.clients.values()) void p.then((c) => c.destroy());
  }
}

export function mapAwsError(service: string, operation: string, e: unknown, resource?: string): Error {
  // biome-ignore lint/suspicious/noExplicitAny: SDK error shapes
  const err = e as any;
  const name: string = err?.name ?? '';
  const message: string = err?.message ?? String(e);
  if (CREDENTIALS_MISSING.test(name) || CREDENTIALS_MISSING.test(message)) {
    return new AuthError('No AWS credentials found.', {
      code: 'aws.credentials-missing',
      hint: 'Configure ~/.aws/credentials, AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (for the local platform: AWS_ENDPOINT_URL plus any dummy key pair).',
      cause: e,
    });
  }
  if (EXPIRED_CODES.has(name)) {
    return new AuthError('AWS credentials have expired.', {
      code: 'aws.credentials-expired',
      hint: 'Get new temporary credentials for this account and try again.',
      cause: e,
    });
  }
  if (DENIED_CODES.has(name)) {
    return new AwsError(service, operation, `access denied: ${message}`, {
      code: 'aws.access-denied',
      awsCode: name,
      resource,
      exitCode: ExitCode.Auth,
      hint: 'Check that your AWS role may perform this operation in this account and region.',
      cause: e,
    });
  }
  const isNetwork = /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|socket hang up|ECONNRESET/.test(
    `${err?.code ?? ''} ${message}`,
  );
  if (isNetwork) {
    const endpoint = process.env.AWS_ENDPOINT_URL || `the ${service} endpoint`;
    return new AwsError(service, operation, `cannot reach ${endpoint} (${err?.code ?? message})`, {
      code: 'aws.unreachable',
      resource,
      hint: process.env.AWS_ENDPOINT_URL
        ? 'AWS_ENDPOINT_URL is set: is the local AWS (moto) still running at that address?'
        : 'Check your network connection and proxy settings.',
      cause: e,
    });
  }
  return new AwsError(service, operation, message, { awsCode: name || undefined, resource, cause: e });
}

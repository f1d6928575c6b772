import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { KMSClient } from '@aws-sdk/client-kms';
import { Route53Client } from '@aws-sdk/client-route-53';

/**
 * SDK clients that talk to moto directly (never through the layer), for the look-ups and repairs the
 * corrections make. One client per service and region, created on first use.
 */
export class MotoClients {
  private readonly clients = new Map<string, { destroy(): void }>();

  constructor(readonly endpoint: string) {}

  private get<T extends { destroy(): void }>(key: string, make: (config: ClientConfig) => T, region: string): T {
    const id = `${key}:${region}`;
    let client = this.clients.get(id) as T | undefined;
    if (!client) {
      client = make({
        region,
        endpoint: this.endpoint,
        credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
        maxAttempts: 1,
      });
      this.clients.set(id, client);
    }
    return client;
  }

  cloudformation(region: string): CloudFormationClient {
    return this.get('cloudformation', (c) => new CloudFormationClient(c), region);
  }
  cloudwatch(region: string): CloudWatchClient {
    return this.get('cloudwatch', (c) => new CloudWatchClient(c), region);
  }
  ec2(region: string): EC2Client {
    return this.get('ec2', (c) => new EC2Client(c), region);
  }
  autoscaling(region: string): AutoScalingClient {
    return this.get('autoscaling', (c) => new AutoScalingClient(c), region);
  }
  elb(region: string): ElasticLoadBalancingClient {
    return this.get('elb', (c) => new ElasticLoadBalancingClient(c), region);
  }
  elbv2(region: string): ElasticLoadBalancingV2Client {
    return this.get('elbv2', (c) => new ElasticLoadBalancingV2Client(c), region);
  }
  kms(region: string): KMSClient {
    return this.get('kms', (c) => new KMSClient(c), region);
  }
  /** Route53 is global; moto keeps it in one partition-wide backend. */
  route53(): Route53Client {
    return this.get('route53', (c) => new Route53Client(c), 'us-east-1');
  }

  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }
}

interface ClientConfig {
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
}

import { createRequire } from 'node:module';

// The SDK packages are CommonJS bundles. `require` loads them without the ESM loader's per-import
// export scanning of their large files, which cost more than the request round trips; and only the
// services a command calls are ever loaded.
import { installSdkCompileCache } from './compile-cache.js';

const load = createRequire(import.meta.url);
function require(id: string): unknown {
  installSdkCompileCache();
  return load(id);
}

export const sdk = {
  acm: () => require('@aws-sdk/client-acm') as typeof import('@aws-sdk/client-acm'),
  autoscaling: () => require('@aws-sdk/client-auto-scaling') as typeof import('@aws-sdk/client-auto-scaling'),
  cloudformation: () => require('@aws-sdk/client-cloudformation') as typeof import('@aws-sdk/client-cloudformation'),
  cloudwatch: () => require('@aws-sdk/client-cloudwatch') as typeof import('@aws-sdk/client-cloudwatch'),
  ec2: () => require('@aws-sdk/client-ec2') as typeof import('@aws-sdk/client-ec2'),
  ec2InstanceConnect: () =>
    require('@aws-sdk/client-ec2-instance-connect') as typeof import('@aws-sdk/client-ec2-instance-connect'),
  elb: () =>
    require('@aws-sdk/client-elastic-load-balancing') as typeof import('@aws-sdk/client-elastic-load-balancing'),
  elbv2: () =>
    require('@aws-sdk/client-elastic-load-balancing-v2') as typeof import('@aws-sdk/client-elastic-load-balancing-v2'),
  iam: () => require('@aws-sdk/client-iam') as typeof import('@aws-sdk/client-iam'),
  kms: () => require('@aws-sdk/client-kms') as typeof import('@aws-sdk/client-kms'),
  route53: () => require('@aws-sdk/client-route-53') as typeof import('@aws-sdk/client-route-53'),
  s3: () => require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3'),
  sns: () => require('@aws-sdk/client-sns') as typeof import('@aws-sdk/client-sns'),
  sts: () => require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts'),
};

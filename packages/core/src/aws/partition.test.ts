import { describe, expect, it } from 'vitest';
import { isArnOf, partitionOf } from './partition.js';

describe('AWS partitions', () => {
  it('names the partition of a region', () => {
    expect(partitionOf('eu-central-1')).toBe('aws');
    expect(partitionOf('us-east-1')).toBe('aws');
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf('cn-northwest-1')).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOf('us-iso-east-1')).toBe('aws-iso');
    expect(partitionOf('us-isob-east-1')).toBe('aws-iso-b');
    expect(partitionOf('eusc-de-east-1')).toBe('aws-eusc');
  });

  it('recognises ARNs of a service in every partition', () => {
    expect(isArnOf('arn:aws:acm:eu-central-1:1:certificate/x', 'acm')).toBe(true);
    expect(isArnOf('arn:aws-cn:acm:cn-north-1:1:certificate/x', 'acm')).toBe(true);
    expect(isArnOf('arn:aws-us-gov:iam::1:server-certificate/x', 'iam')).toBe(true);
    expect(isArnOf('arn:aws-iso-b:acm:us-isob-east-1:1:certificate/x', 'acm')).toBe(true);
    expect(isArnOf('arn:aws:iam::1:server-certificate/x', 'acm')).toBe(false);
    expect(isArnOf('my-cert', 'acm')).toBe(false);
    expect(isArnOf('arn:awsx:acm:x', 'acm')).toBe(false);
  });
});

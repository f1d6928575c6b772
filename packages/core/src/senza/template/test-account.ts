/**
 * A STUPS-like account as a facts snapshot, for pipeline tests (test files only): the account of the
 * reference's Appendix A (region eu-central-1, alias myorg-team, one hosted zone, default VPC).
 */
import type { AccountFactsSnapshot } from './account-facts.js';

export const ACM_ARN = 'arn:aws:acm:eu-central-1:123456789012:certificate/abc-123';

export function testAccount(overrides: Partial<AccountFactsSnapshot> = {}): AccountFactsSnapshot {
  return {
    region: 'eu-central-1',
    accountId: '123456789012',
    accountAlias: 'myorg-team',
    vpcs: [{ id: 'vpc-1', isDefault: true, cidr: '172.31.0.0/16' }],
    hostedZones: [{ id: 'Z1', name: 'team.example.org.' }],
    subnets: [
      { id: 'subnet-int-a', vpcId: 'vpc-1', availabilityZone: 'eu-central-1a', name: 'internal-eu-central-1a' },
      { id: 'subnet-int-b', vpcId: 'vpc-1', availabilityZone: 'eu-central-1b', name: 'internal-eu-central-1b' },
      { id: 'subnet-dmz-a', vpcId: 'vpc-1', availabilityZone: 'eu-central-1a', name: 'dmz-eu-central-1a' },
      { id: 'subnet-dmz-b', vpcId: 'vpc-1', availabilityZone: 'eu-central-1b', name: 'dmz-eu-central-1b' },
      { id: 'subnet-nat-a', vpcId: 'vpc-1', availabilityZone: 'eu-central-1a', name: 'nat-eu-central-1a' },
    ],
    taupageImages: { production: 'ami-taupage1' },
    securityGroups: [
      { id: 'sg-app', name: 'app-hello-world', tagName: 'app-hello-world', vpcId: 'vpc-1' },
      { id: 'sg-lb', name: 'app-hello-world-lb', tagName: 'app-hello-world-lb', vpcId: 'vpc-1' },
      { id: 'sg-shop', name: 'app-shop', tagName: 'app-shop', vpcId: 'vpc-1' },
      { id: 'sg-shop-lb', name: 'app-shop-lb', tagName: 'app-shop-lb', vpcId: 'vpc-1' },
      { id: 'sg-redis', name: 'redis-cache', tagName: 'redis-cache', vpcId: 'vpc-1' },
    ],
    acmCertificates: [
      {
        arn: ACM_ARN,
        domainName: '*.team.example.org',
        subjectAlternativeNames: ['*.team.example.org'],
        status: 'ISSUED',
        notBefore: '2020-01-01T00:00:00.000Z',
        notAfter: '2099-01-01T00:00:00.000Z',
        createdAt: '2020-01-01T00:00:00.000Z',
      },
    ],
    iamServerCertificates: [
      {
        name: 'team-example-org',
        arn: 'arn:aws:iam::123456789012:server-certificate/team-example-org',
        uploadDate: '2020-01-01T00:00:00.000Z',
        expiration: '2099-01-01T00:00:00.000Z',
      },
    ],
    natGateways: [],
    stackResources: {
      'base-1/ApplicationRole': {
        status: 'CREATE_COMPLETE',
        physicalId: 'base-1-ApplicationRole-XYZ',
        type: 'AWS::IAM::Role',
      },
    },
    stacks: {},
    rolePolicies: {},
    topics: ['arn:aws:sns:eu-central-1:123456789012:my-operators'],
    buckets: ['myorg-stups-mint-123456789012-eu-central-1'],
    ...overrides,
  };
}

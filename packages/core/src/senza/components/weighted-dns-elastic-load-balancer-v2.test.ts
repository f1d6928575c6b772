import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../errors.js';
import type { AccountFactsSnapshot } from '../template/account-facts.js';
import type { JsonObject } from '../template/template-types.js';
import { runComponent } from './test-context.js';
import { WeightedDnsElasticLoadBalancerV2 } from './weighted-dns-elastic-load-balancer-v2.js';

const ACM_ARN = 'arn:aws:acm:eu-central-1:123456789012:certificate/shop';

const account: Omit<AccountFactsSnapshot, 'region'> = {
  vpcs: [{ id: 'vpc-1', isDefault: true }],
  hostedZones: [{ id: 'Z1', name: 'team.example.org.' }],
  securityGroups: [{ id: 'sg-shop-lb', name: 'app-shop-lb' }],
  acmCertificates: [
    {
      arn: ACM_ARN,
      domainName: '*.team.example.org',
      subjectAlternativeNames: ['*.team.example.org'],
      status: 'ISSUED',
      notBefore: '2000-01-01T00:00:00Z',
      notAfter: '2999-01-01T00:00:00Z',
    },
  ],
  iamServerCertificates: [],
};

function run(config: JsonObject, facts = account, info = { StackName: 'shop', StackVersion: 'v3' }) {
  return runComponent(
    WeightedDnsElasticLoadBalancerV2,
    { Type: 'Senza::WeightedDnsElasticLoadBalancerV2', ...config },
    { name: 'AppLoadBalancer', info, facts },
  );
}

describe('Senza::WeightedDnsElasticLoadBalancerV2', () => {
  // Appendix B ({{SenzaInfo.StackVersion}} already rendered in VersionDomain).
  it('generates the verified ELBv2 output of Appendix B', () => {
    const r = run({
      HTTPPort: 8080,
      HealthCheckPath: '/health',
      SecurityGroups: ['app-shop-lb'],
      MainDomain: 'shop.team.example.org',
      VersionDomain: 'shop-v3.team.example.org',
    });
    const tags = [
      { Key: 'Name', Value: 'shop-v3' },
      { Key: 'StackName', Value: 'shop' },
      { Key: 'StackVersion', Value: 'v3' },
    ];
    const alias = {
      HostedZoneId: { 'Fn::GetAtt': ['AppLoadBalancer', 'CanonicalHostedZoneID'] },
      DNSName: { 'Fn::GetAtt': ['AppLoadBalancer', 'DNSName'] },
    };
    expect(r.template.Resources).toEqual({
      AppLoadBalancerMainDomain: {
        Type: 'AWS::Route53::RecordSet',
        Properties: {
          Type: 'A',
          Name: 'shop.team.example.org.',
          HostedZoneName: 'team.example.org.',
          AliasTarget: alias,
          Weight: 0,
          SetIdentifier: 'shop-v3',
        },
      },
      AppLoadBalancerVersionDomain: {
        Type: 'AWS::Route53::RecordSet',
        Properties: {
          Type: 'A',
          Name: 'shop-v3.team.example.org.',
          HostedZoneName: 'team.example.org.',
          AliasTarget: alias,
        },
      },
      AppLoadBalancer: {
        Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        Properties: {
          Name: 'shop-v3',
          Scheme: 'internal',
          SecurityGroups: ['sg-shop-lb'],
          Subnets: { 'Fn::FindInMap': ['LoadBalancerInternalSubnets', { Ref: 'AWS::Region' }, 'Subnets'] },
          LoadBalancerAttributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '60' }],
          Tags: tags,
        },
      },
      AppLoadBalancerTargetGroup: {
        Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
        Properties: {
          Name: 'shop-v3',
          HealthCheckIntervalSeconds: '10',
          HealthCheckPath: '/health',
          HealthCheckPort: 8080,
          HealthCheckProtocol: 'HTTP',
          HealthCheckTimeoutSeconds: '5',
          HealthyThresholdCount: '2',
          Port: 8080,
          Protocol: 'HTTP',
          UnhealthyThresholdCount: '2',
          VpcId: 'vpc-1',
          Tags: tags,
          TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '60' }],
        },
      },
      AppLoadBalancerListener: {
        Type: 'AWS::ElasticLoadBalancingV2::Listener',
        Properties: {
          Certificates: [{ CertificateArn: ACM_ARN }],
          Protocol: 'HTTPS',
          DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'AppLoadBalancerTargetGroup' } }],
          LoadBalancerArn: { Ref: 'AppLoadBalancer' },
          Port: 443,
        },
      },
    });
    expect(r.host.messages).toEqual([]);
    expect(r.needs).toEqual([
      { kind: 'hostedZones' },
      { kind: 'securityGroups', names: ['app-shop-lb'] },
      { kind: 'vpcs' },
      { kind: 'certificates' },
    ]);
  });

  // §7.1 item 8 with its domains: great.api.zo.ne / version.api.zo.ne and an IAM certificate by name.
  it('handles the upstream weighted ELBv2 case', () => {
    const facts = {
      ...account,
      hostedZones: [{ id: 'Z1', name: 'zo.ne.' }],
      acmCertificates: [],
      iamServerCertificates: [{ name: 'my-cert', arn: 'arn:aws:42', expiration: '2999-01-01T00:00:00Z' }],
    };
    const r = run(
      {
        HTTPPort: '9999',
        SecurityGroups: ['app-shop-lb'],
        MainDomain: 'great.api.zo.ne',
        VersionDomain: 'version.api.zo.ne',
        SSLCertificateId: 'my-cert',
        TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '123' }],
      },
      facts,
      { StackName: 'test', StackVersion: '1' },
    );
    const res = r.template.Resources;
    expect(Object.keys(res).sort()).toEqual([
      'AppLoadBalancer',
      'AppLoadBalancerListener',
      'AppLoadBalancerMainDomain',
      'AppLoadBalancerTargetGroup',
      'AppLoadBalancerVersionDomain',
    ]);
    expect(res.AppLoadBalancerTargetGroup.Properties).toMatchObject({
      HealthCheckPort: '9999',
      TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '123' }],
    });
    expect(res.AppLoadBalancerListener.Properties).toMatchObject({ Certificates: [{ CertificateArn: 'arn:aws:42' }] });
    expect(res.AppLoadBalancerMainDomain.Properties).toMatchObject({
      Name: 'great.api.zo.ne.',
      HostedZoneName: 'zo.ne.',
    });
  });

  it('falls back to the IAM certificate named after the zone', () => {
    const facts = {
      ...account,
      acmCertificates: [],
      iamServerCertificates: [
        {
          name: 'team-example-org-old',
          arn: 'arn:iam:old',
          uploadDate: '2020-01-01T00:00:00Z',
          expiration: '2999-01-01T00:00:00Z',
        },
        {
          name: 'team-example-org-new',
          arn: 'arn:iam:new',
          uploadDate: '2021-01-01T00:00:00Z',
          expiration: '2999-01-01T00:00:00Z',
        },
      ],
    };
    const r = run({ HTTPPort: 8080, SecurityGroups: ['app-shop-lb'] }, facts);
    // Deviation from senza: the newest certificate, where upstream took the oldest.
    expect(r.template.Resources.AppLoadBalancerListener.Properties).toMatchObject({
      Certificates: [{ CertificateArn: 'arn:iam:new' }],
    });
    expect(r.template.Resources.AppLoadBalancerMainDomain.Properties).toMatchObject({ Name: 'shop.team.example.org.' });
  });

  it('rejects an unknown domain', () => {
    expect(() =>
      run({
        HTTPPort: 8080,
        SecurityGroups: ['app-shop-lb'],
        MainDomain: 'shop.example.com',
        VersionDomain: 'v.example.com',
      }),
    ).toThrow(NotFoundError);
  });
});

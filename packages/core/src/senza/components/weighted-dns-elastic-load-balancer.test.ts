import { describe, expect, it } from 'vitest';
import { DefinitionError, NotFoundError, UsageError } from '../../errors.js';
import type { AccountFactsSnapshot } from '../template/account-facts.js';
import type { JsonObject } from '../template/template-types.js';
import { runComponent } from './test-context.js';
import { WeightedDnsElasticLoadBalancer } from './weighted-dns-elastic-load-balancer.js';

const ACM_ARN = 'arn:aws:acm:eu-central-1:123456789012:certificate/hello';

// The account of Appendix A: one hosted zone, a matching ACM certificate.
const account: Omit<AccountFactsSnapshot, 'region'> = {
  hostedZones: [{ id: 'Z1', name: 'team.example.org.' }],
  securityGroups: [{ id: 'sg-hello-lb', name: 'app-hello-world-lb' }],
  acmCertificates: [
    {
      arn: ACM_ARN,
      domainName: '*.team.example.org',
      subjectAlternativeNames: ['*.team.example.org', 'team.example.org'],
      status: 'ISSUED',
      notBefore: '2000-01-01T00:00:00Z',
      notAfter: '2999-01-01T00:00:00Z',
      createdAt: '2000-01-01T00:00:00Z',
    },
  ],
  iamServerCertificates: [],
};

const appLoadBalancer: JsonObject = {
  Type: 'Senza::WeightedDnsElasticLoadBalancer',
  HTTPPort: 8080,
  HealthCheckPath: '/health',
  SecurityGroups: ['app-hello-world-lb'],
  Scheme: 'internet-facing',
};

function run(config: JsonObject, facts = account, info = { StackName: 'hello-world', StackVersion: '7' }) {
  return runComponent(WeightedDnsElasticLoadBalancer, config, { name: 'AppLoadBalancer', info, facts });
}

const alias = (lb: string) => ({
  HostedZoneId: { 'Fn::GetAtt': [lb, 'CanonicalHostedZoneNameID'] },
  DNSName: { 'Fn::GetAtt': [lb, 'DNSName'] },
});

describe('Senza::WeightedDnsElasticLoadBalancer', () => {
  it('generates the AppLoadBalancer of Appendix A', () => {
    const r = run(appLoadBalancer);
    expect(r.template.Resources).toEqual({
      AppLoadBalancerMainDomain: {
        Type: 'AWS::Route53::RecordSet',
        Properties: {
          Type: 'A',
          Name: 'hello-world.team.example.org.',
          HostedZoneName: 'team.example.org.',
          AliasTarget: alias('AppLoadBalancer'),
          Weight: 0,
          SetIdentifier: 'hello-world-7',
        },
      },
      AppLoadBalancerVersionDomain: {
        Type: 'AWS::Route53::RecordSet',
        Properties: {
          Type: 'A',
          Name: 'hello-world-7.team.example.org.',
          HostedZoneName: 'team.example.org.',
          AliasTarget: alias('AppLoadBalancer'),
        },
      },
      AppLoadBalancer: {
        Type: 'AWS::ElasticLoadBalancing::LoadBalancer',
        Properties: {
          Scheme: 'internet-facing',
          Subnets: { 'Fn::FindInMap': ['LoadBalancerSubnets', { Ref: 'AWS::Region' }, 'Subnets'] },
          HealthCheck: {
            HealthyThreshold: '2',
            UnhealthyThreshold: '2',
            Interval: '10',
            Timeout: '5',
            Target: 'HTTP:8080/health',
          },
          Listeners: [
            {
              PolicyNames: [],
              SSLCertificateId: ACM_ARN,
              Protocol: 'HTTPS',
              InstancePort: 8080,
              LoadBalancerPort: 443,
            },
          ],
          ConnectionDrainingPolicy: { Enabled: true, Timeout: 60 },
          CrossZone: 'true',
          LoadBalancerName: 'hello-world-7',
          SecurityGroups: ['sg-hello-lb'],
          Tags: [
            { Key: 'Name', Value: 'hello-world-7' },
            { Key: 'StackName', Value: 'hello-world' },
            { Key: 'StackVersion', Value: '7' },
          ],
        },
      },
    });
    expect(r.host.codes()).toEqual(['senza.elb-internet-facing']);
    expect(r.needs).toEqual([
      { kind: 'hostedZones' },
      { kind: 'securityGroups', names: ['app-hello-world-lb'] },
      { kind: 'certificates' },
    ]);
  });

  // §4.7 golden (upstream test with MainDomain/VersionDomain in different zones)
  it('puts MainDomain and VersionDomain into their own hosted zones', () => {
    const facts = {
      ...account,
      hostedZones: [
        { id: 'Z1', name: 'zo.ne.dev.' },
        { id: 'Z2', name: 'zo.ne.com.' },
      ],
      acmCertificates: [{ ...account.acmCertificates![0], subjectAlternativeNames: ['*.api.zo.ne.com'] }],
    };
    const r = run(
      { ...appLoadBalancer, MainDomain: 'great.api.zo.ne.com', VersionDomain: 'version.api.zo.ne.dev' },
      facts,
      { StackName: 'test', StackVersion: '1' },
    );
    expect(r.template.Resources.AppLoadBalancerMainDomain.Properties).toMatchObject({
      Name: 'great.api.zo.ne.com.',
      HostedZoneName: 'zo.ne.com.',
      SetIdentifier: 'test-1',
    });
    expect(r.template.Resources.AppLoadBalancerVersionDomain.Properties).toMatchObject({
      Name: 'version.api.zo.ne.dev.',
      HostedZoneName: 'zo.ne.dev.',
    });
    const lb = r.template.Resources.AppLoadBalancer.Properties as JsonObject;
    expect(lb).not.toHaveProperty('MainDomain');
    expect(lb).not.toHaveProperty('VersionDomain');
    expect((lb.Listeners as JsonObject[])[0].SSLCertificateId).toBe(ACM_ARN);
  });

  // Deviation from senza: an unknown domain raises NotFoundError with the account's zones as hint.
  it('rejects an unknown MainDomain', () => {
    const run1 = () =>
      run({ ...appLoadBalancer, MainDomain: 'great.api.zo.ne.org', VersionDomain: 'v.team.example.org' });
    expect(run1).toThrow(NotFoundError);
    expect(run1).toThrow('No Domain configured for "great.api.zo.ne.org"');
  });

  // Deviation from senza: several zones without MainDomain/VersionDomain is an error, not a menu.
  it('asks for MainDomain/VersionDomain when the account has several zones', () => {
    const facts = {
      ...account,
      hostedZones: [
        { id: 'Z1', name: 'a.example.org.' },
        { id: 'Z2', name: 'b.example.org.' },
      ],
    };
    expect(() => run(appLoadBalancer, facts)).toThrow(UsageError);
  });

  it('fails when no certificate matches the weighted domain', () => {
    const facts = { ...account, acmCertificates: [] };
    expect(() => run(appLoadBalancer, facts)).toThrow(
      'Could not find any matching SSL certificate for "hello-world.team.example.org"',
    );
  });

  it('keeps explicit Domains and needs no hosted zones then', () => {
    const r = run(
      {
        ...appLoadBalancer,
        SSLCertificateId: 'arn:aws:iam::1:server-certificate/x',
        Domains: { Main: { Type: 'weighted', Zone: 'other.org.', Subdomain: 'hw' } },
      },
      { securityGroups: account.securityGroups },
    );
    expect(Object.keys(r.template.Resources)).toEqual(['AppLoadBalancerMain', 'AppLoadBalancer']);
    expect(r.needs).toEqual([{ kind: 'securityGroups', names: ['app-hello-world-lb'] }]);
  });

  it('reports a bad MainDomain at its key', () => {
    expect(() => run({ ...appLoadBalancer, MainDomain: ['x'] })).toThrow(DefinitionError);
  });
});

import { describe, expect, it } from 'vitest';
import { DefinitionError } from '../../errors.js';
import type { AccountFactsSnapshot } from '../template/account-facts.js';
import type { JsonObject } from '../template/template-types.js';
import { ElasticLoadBalancer } from './elastic-load-balancer.js';
import { runComponent } from './test-context.js';

const ACM_ARN = 'arn:aws:acm:eu-central-1:123456789012:certificate/abc';
const IAM_ARN = 'arn:aws:iam::123456789012:server-certificate/my-cert';

const account: Omit<AccountFactsSnapshot, 'region'> = {
  hostedZones: [{ id: 'Z1', name: 'team.example.org.' }],
  securityGroups: [{ id: 'sg-lb', name: 'app-lb' }],
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
  iamServerCertificates: [{ name: 'my-cert', arn: IAM_ARN, expiration: '2999-01-01T00:00:00Z' }],
};

function run(config: JsonObject, info = { StackName: 'foobar', StackVersion: '0.1' }) {
  return runComponent(
    ElasticLoadBalancer,
    { Type: 'Senza::ElasticLoadBalancer', SecurityGroups: ['app-lb'], SSLCertificateId: IAM_ARN, ...config },
    { name: 'test_lb', info, facts: account },
  );
}

const props = (r: ReturnType<typeof run>) => r.template.Resources.test_lb.Properties as JsonObject;

describe('Senza::ElasticLoadBalancer', () => {
  it('builds the classic ELB with its defaults', () => {
    const r = run({ HTTPPort: 8080 });
    expect(r.template.Resources).toEqual({
      test_lb: {
        Type: 'AWS::ElasticLoadBalancing::LoadBalancer',
        Properties: {
          Scheme: 'internal',
          Subnets: { 'Fn::FindInMap': ['LoadBalancerInternalSubnets', { Ref: 'AWS::Region' }, 'Subnets'] },
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
              SSLCertificateId: IAM_ARN,
              Protocol: 'HTTPS',
              InstancePort: 8080,
              LoadBalancerPort: 443,
            },
          ],
          ConnectionDrainingPolicy: { Enabled: true, Timeout: 60 },
          CrossZone: 'true',
          LoadBalancerName: 'foobar-0.1',
          SecurityGroups: ['sg-lb'],
          Tags: [
            { Key: 'Name', Value: 'foobar-0.1' },
            { Key: 'StackName', Value: 'foobar' },
            { Key: 'StackVersion', Value: '0.1' },
          ],
        },
      },
    });
    expect(r.host.messages).toEqual([]);
  });

  // §7.1 item 7 (test_component_load_balancer_healthcheck)
  it('formats the health check target', () => {
    const target = (config: JsonObject) => (props(run(config)).HealthCheck as JsonObject).Target;
    expect(target({ HTTPPort: '9999', HealthCheckPath: '/healthcheck' })).toBe('HTTP:9999/healthcheck');
    expect(target({ HTTPPort: '9999', HealthCheckPath: '/healthcheck', HealthCheckPort: '1234' })).toBe(
      'HTTP:1234/healthcheck',
    );
    expect(target({ HTTPPort: '9999', HealthCheckPath: '/healthcheck', HealthCheckProtocol: 'TCP' })).toBe('TCP:9999');
    expect(target({ HTTPPort: 9999, HealthCheckProtocol: 'HTTPS' })).toBe('HTTPS:9999/health');
    expect(target({ HTTPPort: 9999, HealthCheckProtocol: 'SSL', HealthCheckPath: '/x' })).toBe('SSL:9999');
  });

  it('rejects unknown health check protocols', () => {
    expect(() => run({ HTTPPort: '9999', HealthCheckProtocol: 'MYFANCYPROTOCOL' })).toThrow(DefinitionError);
    expect(() => run({ HTTPPort: '9999', HealthCheckProtocol: 'MYFANCYPROTOCOL' })).toThrow(
      'Protocol "MYFANCYPROTOCOL" is not supported for LoadBalancer',
    );
  });

  // §7.1 item 7 (test_component_load_balancer_namelength)
  it('shortens the load balancer name to 32 characters', () => {
    const r = run({ HTTPPort: '9999' }, { StackName: 'foobar'.repeat(5), StackVersion: '0.1' });
    expect(props(r).LoadBalancerName).toBe('foobarfoobarfoobarfoobarfoob-0.1');
  });

  it('appends NameSuffix and does not copy it', () => {
    const r = run({ HTTPPort: 80, NameSuffix: 'green' });
    expect(props(r).LoadBalancerName).toBe('foobar-0.1-green');
    expect(props(r)).not.toHaveProperty('NameSuffix');
  });

  // §7.1 item 7 (test_component_load_balancer_idletimeout)
  it('copies other keys verbatim into the properties, but not the Senza keys', () => {
    const r = run({
      HTTPPort: '9999',
      HealthCheckPath: '/healthcheck',
      ConnectionSettings: { IdleTimeout: 300 },
      LoadBalancerName: 'custom-name',
      CrossZone: 'false',
    });
    const p = props(r);
    expect(p.ConnectionSettings).toEqual({ IdleTimeout: 300 });
    expect(p.LoadBalancerName).toBe('custom-name');
    expect(p.CrossZone).toBe('false');
    expect(p).not.toHaveProperty('HTTPPort');
    expect(p).not.toHaveProperty('HealthCheckPath');
    expect(p).not.toHaveProperty('SSLCertificateId');
    expect(p).not.toHaveProperty('Type');
    expect(p.SecurityGroups).toEqual(['sg-lb']);
  });

  it('warns about internet-facing load balancers', () => {
    const r = run({ HTTPPort: 80, Scheme: 'internet-facing' });
    expect(props(r).Scheme).toBe('internet-facing');
    expect(props(r).Subnets).toEqual({ 'Fn::FindInMap': ['LoadBalancerSubnets', { Ref: 'AWS::Region' }, 'Subnets'] });
    expect(r.host.messages).toEqual([
      {
        level: 'warn',
        code: 'senza.elb-internet-facing',
        text: 'You are deploying an internet-facing ELB that will be publicly accessible! You should have OAUTH2 and HTTPS in place!',
        data: { component: 'test_lb' },
      },
    ]);
  });

  it('rejects unknown schemes', () => {
    expect(() => run({ HTTPPort: 80, Scheme: 'public' })).toThrow('Scheme "public" is not supported for LoadBalancer');
  });

  it('requires HTTPPort and SecurityGroups', () => {
    expect(() => run({})).toThrow('HTTPPort is required');
    expect(() => run({ HTTPPort: 80, SecurityGroups: null })).toThrow('SecurityGroups is required');
  });

  it('resolves the certificates of given HTTPS/SSL listeners and copies them', () => {
    const listeners: JsonObject[] = [
      { Protocol: 'HTTP', InstancePort: 8080, LoadBalancerPort: 80 },
      { Protocol: 'SSL', InstancePort: 8443, LoadBalancerPort: 443, SSLCertificateId: 'my-cert' },
      { Protocol: 'HTTPS', InstancePort: 8080, LoadBalancerPort: 8443, SSLCertificateId: ACM_ARN },
    ];
    const config = { HTTPPort: 8080, Listeners: listeners };
    const r = run(config);
    expect(props(r).Listeners).toEqual([
      listeners[0],
      { ...listeners[1], SSLCertificateId: IAM_ARN },
      { ...listeners[2], SSLCertificateId: ACM_ARN },
    ]);
    expect(listeners[1].SSLCertificateId).toBe('my-cert');
    expect(r.needs).toContainEqual({ kind: 'certificates' });
  });

  it('does not read certificates for HTTP listeners or IAM certificate ARNs', () => {
    const http = run({ HTTPPort: 8080, Listeners: [{ Protocol: 'HTTP', InstancePort: 8080, LoadBalancerPort: 80 }] });
    expect(http.needs).toEqual([{ kind: 'securityGroups', names: ['app-lb'] }]);
    expect(run({ HTTPPort: 8080 }).needs).not.toContainEqual({ kind: 'certificates' });
  });

  // Deviation from senza: upstream kept SSLCertificateId null and CloudFormation rejected the stack.
  it('requires a certificate for an HTTPS listener without weighted domain', () => {
    expect(() => run({ HTTPPort: 8080, SSLCertificateId: null })).toThrow(DefinitionError);
    expect(() => run({ HTTPPort: 8080, SSLCertificateId: null })).toThrow('an HTTPS listener needs a certificate');
  });

  it('creates records for explicit Domains and picks the certificate of the weighted one', () => {
    const r = run({
      HTTPPort: 8080,
      SSLCertificateId: null,
      Domains: {
        MainDomain: { Type: 'weighted', Zone: 'team.example.org.', Subdomain: 'app' },
        VersionDomain: { Type: 'standalone', Zone: 'team.example.org.', Subdomain: 'app-0-1' },
      },
    });
    expect(Object.keys(r.template.Resources)).toEqual(['test_lbMainDomain', 'test_lbVersionDomain', 'test_lb']);
    expect(props(r).Listeners).toEqual([
      { PolicyNames: [], SSLCertificateId: ACM_ARN, Protocol: 'HTTPS', InstancePort: 8080, LoadBalancerPort: 443 },
    ]);
    expect(r.template.Resources.test_lbMainDomain.Properties).toMatchObject({
      Name: 'app.team.example.org.',
      Weight: 0,
      SetIdentifier: 'foobar-0.1',
      AliasTarget: { HostedZoneId: { 'Fn::GetAtt': ['test_lb', 'CanonicalHostedZoneNameID'] } },
    });
    expect(props(r)).not.toHaveProperty('Domains');
  });
});

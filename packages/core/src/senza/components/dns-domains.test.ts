import { describe, expect, it } from 'vitest';
import { DefinitionError, NotFoundError, UsageError } from '../../errors.js';
import { addDomainRecordSets, splitDomain, weightedDomainNeeds, withWeightedDomains } from './dns-domains.js';
import { emptyTemplate, testContext } from './test-context.js';

const zones = (...names: string[]) => names.map((name, i) => ({ id: `Z${i}`, name }));

describe('splitDomain', () => {
  it('splits at the hosted zone that serves the name (upstream golden zones)', () => {
    const z = zones('zo.ne.dev.', 'zo.ne.com.');
    expect(splitDomain('great.api.zo.ne.com', z)).toEqual({ subdomain: 'great.api', zone: 'zo.ne.com.' });
    expect(splitDomain('version.api.zo.ne.dev', z)).toEqual({ subdomain: 'version.api', zone: 'zo.ne.dev.' });
  });

  // Deviation from senza: longest matching zone instead of the first one in API order (and no menu).
  it('picks the longest matching zone, whatever the API order', () => {
    const z = zones('example.org.', 'team.example.org.');
    expect(splitDomain('app.team.example.org', z)).toEqual({ subdomain: 'app', zone: 'team.example.org.' });
    expect(splitDomain('app.other.example.org', z)).toEqual({ subdomain: 'app.other', zone: 'example.org.' });
  });

  it('matches whole labels, case-insensitively, with or without trailing dot', () => {
    expect(splitDomain('App.Team.Example.org.', zones('team.example.org.'))).toEqual({
      subdomain: 'App',
      zone: 'team.example.org.',
    });
    expect(() => splitDomain('app.myteam.example.org', zones('team.example.org.'))).toThrow(NotFoundError);
  });

  it('gives an empty subdomain for the zone apex', () => {
    expect(splitDomain('team.example.org', zones('team.example.org.'))).toEqual({
      subdomain: '',
      zone: 'team.example.org.',
    });
  });

  // Deviation from senza: an unknown domain is an error that lists the account's zones.
  it('rejects a domain no hosted zone serves and lists the zones', () => {
    const run = () => splitDomain('app.unknown.com', zones('zo.ne.dev.', 'zo.ne.com.'));
    expect(run).toThrow(NotFoundError);
    expect(run).toThrow('No Domain configured for "app.unknown.com"');
    try {
      run();
    } catch (e) {
      expect((e as NotFoundError).hint).toContain('zo.ne.com, zo.ne.dev');
    }
  });
});

describe('withWeightedDomains', () => {
  const info = { StackName: 'hello-world', StackVersion: '7' };

  it('defaults to <StackName> and <StackName>-<StackVersion> in the account domain', () => {
    const { ctx } = testContext({ info, facts: { hostedZones: zones('team.example.org.') } });
    expect(withWeightedDomains({ HTTPPort: 8080 }, ctx)).toEqual({
      HTTPPort: 8080,
      Domains: {
        MainDomain: { Type: 'weighted', Zone: 'team.example.org.', Subdomain: 'hello-world' },
        VersionDomain: { Type: 'standalone', Zone: 'team.example.org.', Subdomain: 'hello-world-7' },
      },
    });
  });

  it('replaces MainDomain and VersionDomain by Domains', () => {
    const { ctx } = testContext({ info, facts: { hostedZones: zones('zo.ne.dev.', 'zo.ne.com.') } });
    const config = { MainDomain: 'great.api.zo.ne.com', VersionDomain: 'version.api.zo.ne.dev', HTTPPort: 1 };
    expect(withWeightedDomains(config, ctx)).toEqual({
      HTTPPort: 1,
      Domains: {
        MainDomain: { Type: 'weighted', Zone: 'zo.ne.com.', Subdomain: 'great.api' },
        VersionDomain: { Type: 'standalone', Zone: 'zo.ne.dev.', Subdomain: 'version.api' },
      },
    });
    expect(config).toHaveProperty('MainDomain');
  });

  it('leaves a configuration with Domains alone', () => {
    const { ctx } = testContext({ info });
    const config = { Domains: {}, MainDomain: 'x.y' };
    expect(withWeightedDomains(config, ctx)).toBe(config);
  });

  // Deviation from senza: no interactive domain menu.
  it('needs MainDomain and VersionDomain when the account has several zones', () => {
    const { ctx } = testContext({ info, facts: { hostedZones: zones('a.org.', 'b.org.') } });
    expect(() => withWeightedDomains({}, ctx)).toThrow(UsageError);
    expect(() => withWeightedDomains({ MainDomain: 'x.a.org' }, ctx)).toThrow(UsageError);
    expect(withWeightedDomains({ MainDomain: 'x.a.org', VersionDomain: 'x-7.b.org' }, ctx).Domains).toEqual({
      MainDomain: { Type: 'weighted', Zone: 'a.org.', Subdomain: 'x' },
      VersionDomain: { Type: 'standalone', Zone: 'b.org.', Subdomain: 'x-7' },
    });
  });

  it('rejects the zone apex and non-string domains', () => {
    const { ctx } = testContext({ info, facts: { hostedZones: zones('team.example.org.') } });
    expect(() => withWeightedDomains({ MainDomain: 'team.example.org' }, ctx)).toThrow(DefinitionError);
    expect(() => withWeightedDomains({ VersionDomain: 42 }, ctx)).toThrow(DefinitionError);
  });
});

describe('weightedDomainNeeds', () => {
  it('reads hosted zones only without explicit Domains', () => {
    expect(weightedDomainNeeds({})).toEqual([{ kind: 'hostedZones' }]);
    expect(weightedDomainNeeds({ Domains: {} })).toEqual([]);
  });
});

describe('addDomainRecordSets', () => {
  const { ctx } = testContext({ name: 'LB', info: { StackName: 'app', StackVersion: 'v1' } });

  it('adds one alias record per domain and returns the weighted one', () => {
    const template = emptyTemplate();
    const weighted = addDomainRecordSets(
      template,
      {
        Main: { Type: 'weighted', Zone: 'zo.ne.', Subdomain: 'app' },
        Extra: { Type: 'standalone', Zone: 'zo.ne.', Subdomain: 'app-v1' },
      },
      ctx,
      'CanonicalHostedZoneNameID',
    );
    expect(weighted).toEqual({ subdomain: 'app', zone: 'zo.ne.' });
    expect(template.Resources).toEqual({
      LBMain: {
        Type: 'AWS::Route53::RecordSet',
        Properties: {
          Type: 'A',
          Name: 'app.zo.ne.',
          HostedZoneName: 'zo.ne.',
          AliasTarget: {
            HostedZoneId: { 'Fn::GetAtt': ['LB', 'CanonicalHostedZoneNameID'] },
            DNSName: { 'Fn::GetAtt': ['LB', 'DNSName'] },
          },
          Weight: 0,
          SetIdentifier: 'app-v1',
        },
      },
      LBExtra: {
        Type: 'AWS::Route53::RecordSet',
        Properties: {
          Type: 'A',
          Name: 'app-v1.zo.ne.',
          HostedZoneName: 'zo.ne.',
          AliasTarget: {
            HostedZoneId: { 'Fn::GetAtt': ['LB', 'CanonicalHostedZoneNameID'] },
            DNSName: { 'Fn::GetAtt': ['LB', 'DNSName'] },
          },
        },
      },
    });
  });

  // Deviation from senza: compiling never writes to Route53 (no CNAME → alias conversion); the
  // context has no hosted zones at all, so any account access would throw.
  it('reads nothing from the account and returns null without a weighted domain', () => {
    const template = emptyTemplate();
    expect(addDomainRecordSets(template, undefined, ctx, 'CanonicalHostedZoneID')).toBeNull();
    expect(
      addDomainRecordSets(
        template,
        { V: { Type: 'standalone', Zone: 'z.', Subdomain: 's' } },
        ctx,
        'CanonicalHostedZoneID',
      ),
    ).toBeNull();
    expect(template.Resources.LBV.Properties).not.toHaveProperty('Weight');
  });

  it('rejects malformed entries', () => {
    expect(() =>
      addDomainRecordSets(emptyTemplate(), { M: { Type: 'weighted' } }, ctx, 'CanonicalHostedZoneID'),
    ).toThrow(DefinitionError);
    expect(() => addDomainRecordSets(emptyTemplate(), ['x'], ctx, 'CanonicalHostedZoneID')).toThrow(DefinitionError);
  });
});

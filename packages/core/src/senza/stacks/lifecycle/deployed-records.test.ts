import { describe, expect, it } from 'vitest';
import { changedWeightedRecordSets, withDeployedWeights } from './deployed-records.js';

const base = {
  AWSTemplateFormatVersion: '2010-09-09',
  Mappings: {},
  Resources: {
    Queue: { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: 5 } },
    Main: {
      Type: 'AWS::Route53::RecordSet',
      Properties: { Name: 'app.example.org.', SetIdentifier: 'app-1', Weight: 0, Type: 'CNAME' },
    },
  },
};

describe('withDeployedWeights (update and diff leave the weighted record alone)', () => {
  it('puts the stored weight into the weighted main-domain record', () => {
    const deployed = {
      Resources: { Main: { ...base.Resources.Main, Properties: { ...base.Resources.Main.Properties, Weight: 200 } } },
    };
    const { template, kept } = withDeployedWeights(base as never, deployed);
    expect((template.Resources.Main.Properties as Record<string, unknown>).Weight).toBe(200);
    expect(kept).toEqual([{ logicalId: 'Main', templateWeight: 0, deployedWeight: 200 }]);
    expect(base.Resources.Main.Properties.Weight).toBe(0);
  });
  it('same stored weight, or a record the deployed template lacks: no change', () => {
    expect(withDeployedWeights(base as never, base).template).toBe(base);
    const { template, kept } = withDeployedWeights(base as never, { Resources: {} });
    expect(template).toBe(base);
    expect(kept).toEqual([]);
  });
});

describe('changedWeightedRecordSets (which updates make CloudFormation rewrite the record)', () => {
  const stack = (record: Record<string, unknown>, lb: Record<string, unknown> = { Name: 'app-1' }) => ({
    Resources: {
      LB: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: lb },
      Main: {
        Type: 'AWS::Route53::RecordSet',
        Properties: {
          Type: 'A',
          Name: 'app.example.org.',
          SetIdentifier: 'app-1',
          Weight: 0,
          AliasTarget: { DNSName: { 'Fn::GetAtt': ['LB', 'DNSName'] } },
          ...record,
        },
      },
    },
  });
  const params = { old: { P: '1' }, new: { P: '1' } };
  const changed = (a: object, b: object, p = params) => changedWeightedRecordSets(a, b, p).map((r) => r.logicalId);
  it('an unchanged record, or another resource changed in place: none', () => {
    expect(changed(stack({}), stack({}))).toEqual([]);
    expect(changed(stack({}), stack({}, { Name: 'app-1', Subnets: ['b'] }))).toEqual([]);
  });
  it('a changed or removed record, a changed parameter it refers to, a replaced load balancer', () => {
    expect(changed(stack({}), stack({ TTL: 30 }))).toEqual(['Main']);
    expect(changed(stack({}), { Resources: {} })).toEqual(['Main']);
    expect(
      changed(stack({ Comment: { Ref: 'P' } }), stack({ Comment: { Ref: 'P' } }), { old: { P: '1' }, new: { P: '2' } }),
    ).toEqual(['Main']);
    expect(changed(stack({}), stack({}, { Name: 'app-2' }))).toEqual(['Main']);
  });
});

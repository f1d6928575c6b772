import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { checkChangeBatch, type RequestedChange } from './route53-change-batch.js';

// As moto stores a record CloudFormation made: no final dots, a us-east-1 ELB name, an unresolved zone id.
const stored: ResourceRecordSet = {
  Name: 'app.zo.ne',
  Type: 'A',
  SetIdentifier: 'app-1',
  Weight: 100,
  TTL: 0,
  AliasTarget: {
    DNSName: 'app-1-123.us-east-1.elb.amazonaws.com',
    HostedZoneId: "{'Fn::GetAtt': ['AppLoadBalancer', 'CanonicalHostedZoneNameID']}",
    EvaluateTargetHealth: false,
  },
};
// As the layer shows it (alias-targets) and a client sends it back.
const shown: ResourceRecordSet = {
  Name: 'app.zo.ne.',
  Type: 'A',
  SetIdentifier: 'app-1',
  Weight: 100,
  AliasTarget: {
    DNSName: 'app-1-123.eu-central-1.elb.amazonaws.com.',
    HostedZoneId: 'Z215JYRZR1TBD5',
    EvaluateTargetHealth: false,
  },
};
const change = (action: string, record: ResourceRecordSet): RequestedChange => ({ action, record });

describe('a Route53 change batch, checked as Route53 checks it', () => {
  it('a DELETE of the record as shown matches what moto stores; then a CREATE of it is no duplicate', () => {
    const result = checkChangeBatch([change('DELETE', shown), change('CREATE', { ...shown, Weight: 50 })], [stored]);
    expect(result).toEqual({ named: [{ ...shown, Weight: 50 }] });
  });

  it('a DELETE with another weight, alias or values is refused, and so the whole batch', () => {
    for (const other of [
      { ...shown, Weight: 99 },
      { ...shown, AliasTarget: { ...shown.AliasTarget, DNSName: 'other.elb.amazonaws.com.' } },
      { ...shown, AliasTarget: undefined, TTL: 60, ResourceRecords: [{ Value: '1.2.3.4' }] },
    ] as ResourceRecordSet[]) {
      expect(
        checkChangeBatch([change('UPSERT', { ...shown, SetIdentifier: 'x' }), change('DELETE', other)], [stored]),
      ).toEqual({
        error:
          "[Tried to delete resource record set [name='app.zo.ne.', type='A', set-identifier='app-1'] but the values provided do not match the current values]",
      });
    }
  });

  it('a CREATE of an existing record and a DELETE of a missing one are refused; the order within the batch counts', () => {
    expect(checkChangeBatch([change('CREATE', shown)], [stored])).toMatchObject({
      error: expect.stringContaining('but it already exists'),
    });
    expect(checkChangeBatch([change('DELETE', { ...shown, SetIdentifier: 'app-2' })], [stored])).toMatchObject({
      error: expect.stringContaining("set-identifier='app-2'] but it was not found"),
    });
    expect(checkChangeBatch([change('DELETE', shown), change('DELETE', shown)], [stored])).toMatchObject({
      error: expect.stringContaining('but it was not found'),
    });
  });
});

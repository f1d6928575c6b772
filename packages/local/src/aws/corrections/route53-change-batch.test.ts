import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { checkChangeBatch, type KnownElb, type RequestedChange } from './route53-change-batch.js';

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
// The load balancers the layer knows (alias-targets' directory): moto's spelling and AWS's.
const lb: KnownElb = { dnsName: 'app-1-123.eu-central-1.elb.amazonaws.com' };
const elbs = new Map([
  ['app-1-123.us-east-1.elb.amazonaws.com', lb],
  ['app-1-123.eu-central-1.elb.amazonaws.com', lb],
]);
const context = { elbs };

describe('a Route53 change batch, checked as Route53 checks it', () => {
  it('a DELETE of the record as shown matches what moto stores; then a CREATE of it is no duplicate', () => {
    const result = checkChangeBatch(
      [change('DELETE', shown), change('CREATE', { ...shown, Weight: 50 })],
      [stored],
      context,
    );
    expect(result).toEqual({ named: [{ ...shown, Weight: 50 }] });
  });

  it('a DELETE with another weight, alias or values is refused, and so the whole batch', () => {
    for (const other of [
      { ...shown, Weight: 99 },
      { ...shown, AliasTarget: { ...shown.AliasTarget, DNSName: 'other.elb.amazonaws.com.' } },
      { ...shown, AliasTarget: undefined, TTL: 60, ResourceRecords: [{ Value: '1.2.3.4' }] },
    ] as ResourceRecordSet[]) {
      expect(
        checkChangeBatch(
          [change('UPSERT', { ...shown, SetIdentifier: 'x' }), change('DELETE', other)],
          [stored],
          context,
        ),
      ).toEqual({
        code: 'InvalidChangeBatch',
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
    expect(checkChangeBatch([change('DELETE', shown), change('DELETE', shown)], [stored], context)).toMatchObject({
      error: expect.stringContaining('but it was not found'),
    });
  });
});

describe('a Route53 change batch: what Route53 refuses beyond compare-and-set', () => {
  it('a DELETE naming the load balancer with another region in its DNS name does not match', () => {
    const otherRegion = {
      ...shown,
      AliasTarget: { ...shown.AliasTarget, DNSName: 'app-1-123.us-west-2.elb.amazonaws.com.' },
    } as ResourceRecordSet;
    expect(checkChangeBatch([change('DELETE', otherRegion)], [stored], context)).toMatchObject({
      code: 'InvalidChangeBatch',
      error: expect.stringContaining('but the values provided do not match the current values'),
    });
  });

  it('a Weight outside 0..255 or not an integer is InvalidInput, before any other check', () => {
    for (const [weight, text] of [
      [-14, "Value '-14' is not facet-valid with respect to minInclusive '0' for type 'ResourceRecordSetWeight'"],
      [256, "Value '256' is not facet-valid with respect to maxInclusive '255' for type 'ResourceRecordSetWeight'"],
      [1.5, "'1.5' is not a valid value for 'integer'"],
    ] as const) {
      expect(
        checkChangeBatch([change('DELETE', shown), change('CREATE', { ...shown, Weight: weight })], [stored], context),
      ).toEqual({ code: 'InvalidInput', error: expect.stringContaining(text) });
    }
    expect(
      checkChangeBatch([change('CREATE', { ...shown, SetIdentifier: 'b', Weight: 255 })], [stored], context),
    ).toEqual({ named: [expect.objectContaining({ SetIdentifier: 'b', Weight: 255 })] });
  });

  it('an alias to a load balancer that does not exist is refused with Route53 text (dualstack. aside)', () => {
    const gone = {
      ...shown,
      SetIdentifier: 'app-2',
      AliasTarget: { ...shown.AliasTarget, DNSName: 'app-2-456.eu-central-1.elb.amazonaws.com.' },
    } as ResourceRecordSet;
    expect(checkChangeBatch([change('CREATE', gone)], [stored], context)).toEqual({
      code: 'InvalidChangeBatch',
      error:
        '[Tried to create an alias that targets app-2-456.eu-central-1.elb.amazonaws.com., type A in zone Z215JYRZR1TBD5, but that target was not found]',
    });
    const dualstack = {
      ...gone,
      AliasTarget: { ...shown.AliasTarget, DNSName: 'dualstack.app-1-123.eu-central-1.elb.amazonaws.com.' },
    } as ResourceRecordSet;
    expect(checkChangeBatch([change('UPSERT', dualstack)], [stored], context)).toMatchObject({ named: [dualstack] });
    // An alias to a record of the zone or another AWS service is not a load balancer: not checked here.
    const other = {
      ...gone,
      AliasTarget: { ...shown.AliasTarget, DNSName: 'd111.cloudfront.net.' },
    } as ResourceRecordSet;
    expect(checkChangeBatch([change('CREATE', other)], [stored], context)).toMatchObject({ named: [other] });
  });

  it('weighted records of one name and type must keep one TTL', () => {
    const cname = (id: string, ttl: number): ResourceRecordSet => ({
      Name: 'www.zo.ne.',
      Type: 'CNAME',
      SetIdentifier: id,
      Weight: 100,
      TTL: ttl,
      ResourceRecords: [{ Value: 'a.zo.ne' }],
    });
    expect(checkChangeBatch([change('CREATE', cname('b', 300))], [cname('a', 60)], context)).toEqual({
      code: 'InvalidChangeBatch',
      error:
        '[RRSet with DNS name www.zo.ne. and type CNAME, SetIdentifier b cannot be created as weighted sets must contain the same TTL.]',
    });
    // All of them changed in one batch: accepted.
    expect(
      checkChangeBatch(
        [change('DELETE', cname('a', 60)), change('CREATE', cname('a', 300)), change('CREATE', cname('b', 300))],
        [cname('a', 60)],
        context,
      ),
    ).toMatchObject({ named: [cname('a', 300), cname('b', 300)] });
  });

  it('every failing change is reported, in one bracket, comma-separated', () => {
    const result = checkChangeBatch(
      [change('CREATE', shown), change('DELETE', { ...shown, SetIdentifier: 'app-9' })],
      [stored],
      context,
    );
    expect(result).toEqual({
      code: 'InvalidChangeBatch',
      error:
        "[Tried to create resource record set [name='app.zo.ne.', type='A', set-identifier='app-1'] but it already exists, Tried to delete resource record set [name='app.zo.ne.', type='A', set-identifier='app-9'] but it was not found]",
    });
  });
});

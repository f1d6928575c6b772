import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import type { AwsSession } from '../../aws/aws-session.js';
import { AwsError, EXIT } from '../../errors.js';
import { isChangeConflict } from './apply-traffic.js';
import { changeBatches, describeChange, revertedChange, trafficChanges, upsertRecord } from './record-changes.js';
import type { WeightedRecord } from './route53-records.js';
import { checkTrafficChange } from './traffic-checks.js';
import type { StackVersionInfo } from './traffic-discovery.js';
import { planTraffic } from './traffic-plan.js';
import { familyWaitDelay } from './wait-for-family.js';

const DOMAIN = 'myapp.zo.ne.';
const record = (v: string, weight: number, zoneId = 'Z1', type = 'A'): WeightedRecord => {
  const r: ResourceRecordSet = {
    Name: DOMAIN,
    Type: type as 'A',
    SetIdentifier: `myapp-${v}`,
    Weight: weight,
    TTL: 0,
    AliasTarget: { DNSName: `lb-${v}.elb.amazonaws.com.`, HostedZoneId: 'Z215JYRZR1TBD5', EvaluateTargetHealth: false },
  };
  return { zoneId, zoneName: 'zo.ne.', name: DOMAIN, type, setIdentifier: `myapp-${v}`, weight, record: r };
};

function planFor(recs: WeightedRecord[], target: string, percentage: number) {
  return planTraffic({
    stackName: 'myapp',
    versions: ['v1', 'v2'].map((v) => ({ identifier: `myapp-${v}`, version: v })),
    target: `myapp-${target}`,
    domains: [{ domain: DOMAIN, weights: recs.map((r) => ({ identifier: r.setIdentifier, weight: r.weight })) }],
    percentage,
  });
}

const target = (status: string): StackVersionInfo => ({
  stackName: 'myapp-v2',
  name: 'myapp',
  version: 'v2',
  identifier: 'myapp-v2',
  status,
  notificationArns: [],
  creationTime: new Date(0),
});

/** A session that answers the health calls; anything else fails the test. */
function fakeSession(healthy: number): AwsSession & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async send(_service: string, command: { constructor: { name: string } }) {
      calls.push(command.constructor.name);
      if (command.constructor.name === 'DescribeInstanceHealthCommand')
        return {
          InstanceStates: Array.from({ length: healthy }, (_, i) => ({ InstanceId: `i-${i}`, State: 'InService' })),
        };
      throw new Error(`unexpected ${command.constructor.name}`);
    },
  } as unknown as AwsSession & { calls: string[] };
}

describe('applying a traffic plan', () => {
  it('changes exactly the records whose weight changes, in one batch per hosted zone, each as DELETE of the record read + CREATE', () => {
    const recs = [record('v1', 200), record('v2', 0), record('v2', 0, 'Z1', 'AAAA'), record('v1', 200, 'Z2')];
    const plan = planFor(recs, 'v2', 50);
    const changes = trafficChanges(plan, { records: new Map([[DOMAIN, recs]]) });
    expect(changes.map((c) => [c.zoneId, c.type, c.setIdentifier, c.oldWeight, c.newWeight])).toEqual([
      ['Z1', 'A', 'myapp-v1', 200, 100],
      ['Z2', 'A', 'myapp-v1', 200, 100],
      ['Z1', 'A', 'myapp-v2', 0, 100],
      ['Z1', 'AAAA', 'myapp-v2', 0, 100],
    ]);
    const batches = changeBatches(changes);
    expect(batches.map((b) => [b.zoneId, b.changes.map((c) => c.Action).join(' ')])).toEqual([
      ['Z1', 'DELETE CREATE DELETE CREATE DELETE CREATE'],
      ['Z2', 'DELETE CREATE'],
    ]);
    const alias = { DNSName: 'lb-v1.elb.amazonaws.com.', HostedZoneId: 'Z215JYRZR1TBD5', EvaluateTargetHealth: false };
    // Compare-and-set: the DELETE states the record exactly as read (an alias without TTL).
    expect(batches[0].changes.slice(0, 2)).toEqual([
      {
        Action: 'DELETE',
        ResourceRecordSet: { Name: DOMAIN, Type: 'A', SetIdentifier: 'myapp-v1', Weight: 200, AliasTarget: alias },
      },
      {
        Action: 'CREATE',
        ResourceRecordSet: { Name: DOMAIN, Type: 'A', SetIdentifier: 'myapp-v1', Weight: 100, AliasTarget: alias },
      },
    ]);
    expect(upsertRecord(changes[0]).TTL).toBeUndefined();
    expect(describeChange(changes[0])).toBe('zo.ne. (Z1): UPSERT myapp.zo.ne. A myapp-v1 weight 200 → 100');
    // Setting back is the same compare-and-set the other way.
    const back = changeBatches([revertedChange(changes[0])])[0].changes;
    expect(back.map((c) => [c.Action, c.ResourceRecordSet?.Weight])).toEqual([
      ['DELETE', 100],
      ['CREATE', 200],
    ]);
  });

  it('no change, no Route53 change (re-running a command converges)', () => {
    const recs = [record('v1', 100), record('v2', 100)];
    const plan = planFor(recs, 'v2', 50);
    expect(plan.changed).toBe(false);
    expect(trafficChanges(plan, { records: new Map([[DOMAIN, recs]]) })).toEqual([]);
  });

  it('a target without a record in Route53 cannot be given traffic', () => {
    const recs = [record('v1', 200)];
    expect(() => trafficChanges(planFor(recs, 'v2', 50), { records: new Map([[DOMAIN, recs]]) })).toThrow(
      'Route 53 Record not found: myapp.zo.ne. (set identifier myapp-v2)',
    );
  });

  it('refuses no traffic left, an incomplete target and an unhealthy target, unless forced', async () => {
    const lbs = [{ kind: 'elb' as const, id: 'myapp-v2' }];
    const none = planFor([record('v1', 0), record('v2', 200)], 'v2', 0);
    await expect(
      checkTrafficChange(fakeSession(1), none, { target: target('CREATE_COMPLETE'), loadBalancers: lbs }),
    ).rejects.toThrow('No version of myapp would get traffic on myapp.zo.ne.');
    const shift = planFor([record('v1', 200), record('v2', 0)], 'v2', 50);
    const busy = checkTrafficChange(fakeSession(1), shift, {
      target: target('UPDATE_IN_PROGRESS'),
      loadBalancers: lbs,
    });
    await expect(busy).rejects.toThrow('Stack myapp-v2 is UPDATE_IN_PROGRESS: traffic not shifted to it');
    await expect(busy).rejects.toMatchObject({ exitCode: EXIT.FAILED });
    await expect(
      checkTrafficChange(fakeSession(1), shift, { target: target('UPDATE_ROLLBACK_COMPLETE'), loadBalancers: lbs }),
    ).rejects.toThrow('is UPDATE_ROLLBACK_COMPLETE');
    await expect(
      checkTrafficChange(fakeSession(0), shift, { target: target('CREATE_COMPLETE'), loadBalancers: lbs }),
    ).rejects.toThrow('Stack myapp-v2 has no healthy instance in its load balancer');
    const ok = fakeSession(1);
    expect(await checkTrafficChange(ok, shift, { target: target('UPDATE_COMPLETE'), loadBalancers: lbs })).toEqual([]);
    expect(ok.calls).toEqual(['DescribeInstanceHealthCommand']);
    const forced = fakeSession(0);
    expect(
      await checkTrafficChange(
        forced,
        shift,
        { target: target('UPDATE_IN_PROGRESS'), loadBalancers: lbs },
        { force: true },
      ),
    ).toEqual([]);
    expect(forced.calls).toEqual([]);
    // Taking traffic away from the target needs no health check of it.
    const away = planFor([record('v1', 100), record('v2', 100)], 'v2', 10);
    const noCheck = fakeSession(0);
    expect(
      await checkTrafficChange(noCheck, away, { target: target('UPDATE_IN_PROGRESS'), loadBalancers: lbs }),
    ).toEqual([]);
    expect(noCheck.calls).toEqual([]);
    // A target being deleted gets no traffic, not even with --force; taking its traffic away is fine.
    await expect(
      checkTrafficChange(
        fakeSession(1),
        shift,
        { target: target('DELETE_IN_PROGRESS'), loadBalancers: lbs },
        { force: true },
      ),
    ).rejects.toMatchObject({ code: 'senza.traffic-target-deleting', exitCode: EXIT.FAILED });
    expect(
      await checkTrafficChange(fakeSession(0), away, { target: target('DELETE_IN_PROGRESS'), loadBalancers: lbs }),
    ).toEqual([]);
  });

  it('waits with back-off: interval, then half again each time, capped at 4× interval and 60 s', () => {
    expect([0, 1, 2, 3, 4, 5].map((a) => familyWaitDelay(5, a))).toEqual([5000, 7500, 11250, 16875, 20000, 20000]);
    expect(familyWaitDelay(30, 10)).toBe(60_000);
    expect(familyWaitDelay(600, 3)).toBe(600_000);
  });
});

describe('isChangeConflict: only the three race answers of Route53 are a lost compare-and-set', () => {
  /** As mapAwsError makes it: the SDK's error (name and Route53's message) as cause. */
  const rejected = (message: string, awsCode = 'InvalidChangeBatch') => {
    const cause = Object.assign(new Error(message), { name: awsCode });
    return new AwsError('route53', 'ChangeResourceRecordSets', message, { awsCode, resource: 'zo.ne. (Z1)', cause });
  };
  const rs = "resource record set [name='myapp.zo.ne.', type='A', set-identifier='myapp-v1']";

  it('not found, values do not match, already exists (alone or together): a race', () => {
    for (const m of [
      `[Tried to delete ${rs} but it was not found]`,
      `[Tried to delete ${rs} but the values provided do not match the current values]`,
      `[Tried to create ${rs} but it already exists]`,
      `[Tried to delete ${rs} but it was not found, Tried to create ${rs} but it already exists]`,
    ]) {
      expect(isChangeConflict(rejected(m)), m).toBe(true);
    }
  });

  it('any other InvalidChangeBatch, or a batch mixing one with a race answer, is no race', () => {
    for (const m of [
      // harmony-one/harmony-ops#491: an alias to a load balancer that is gone.
      '[Tried to create an alias that targets s0-stn-us-west-1-875734585.us-west-1.elb.amazonaws.com., type A in zone Z3KY18NSN0TRRC, but the alias target name does not lie within the target zone, Tried to create an alias that targets s0-stn-us-west-1-875734585.us-west-1.elb.amazonaws.com., type A in zone Z3KY18NSN0TRRC, but that target was not found]',
      // aws/aws-sdk-go-v2#518
      '[RRSet with DNS name myapp.zo.ne. and type A, SetIdentifier myapp-v2 cannot be created as weighted sets must contain the same TTL.]',
      '[RRSet with DNS name myapp.other.ne. is not permitted in zone zo.ne.]',
      `[Tried to delete ${rs} but it was not found, Tried to create an alias that targets x.eu-central-1.elb.amazonaws.com., type A in zone Z215JYRZR1TBD5, but that target was not found]`,
      "[FATAL problem: DomainNameEmpty (Domain name is empty) encountered with '']",
    ]) {
      expect(isChangeConflict(rejected(m)), m).toBe(false);
    }
    expect(isChangeConflict(rejected(`[Tried to delete ${rs} but it was not found]`, 'InvalidInput'))).toBe(false);
    expect(isChangeConflict(new Error('boom'))).toBe(false);
  });
});

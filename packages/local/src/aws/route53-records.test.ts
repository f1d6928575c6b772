import type { ResourceRecordSet, Route53Client } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { restoreMissing } from './route53-records.js';

const record = (id: string): ResourceRecordSet => ({
  Name: 'app.zo.ne.',
  Type: 'A',
  SetIdentifier: id,
  Weight: 100,
  AliasTarget: { DNSName: `${id}.elb.amazonaws.com.`, HostedZoneId: 'Z1', EvaluateTargetHealth: false },
});

/**
 * A Route53 client standing for moto: it holds `stored` and answers ListResourceRecordSets; a change
 * is recorded and, unless `ignoreWrites`, applied. (moto answering success to a write it did not apply
 * is the fault a real peer cannot be made to produce on demand.)
 */
function fakeRoute53(stored: ResourceRecordSet[], ignoreWrites = false) {
  const sent: string[] = [];
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      if (command.constructor.name === 'ListResourceRecordSetsCommand') return { ResourceRecordSets: [...stored] };
      const changes = (
        command.input.ChangeBatch as { Changes: { Action: string; ResourceRecordSet: ResourceRecordSet }[] }
      ).Changes;
      for (const c of changes) {
        sent.push(`${c.Action} ${c.ResourceRecordSet.SetIdentifier}`);
        if (!ignoreWrites) stored.push(c.ResourceRecordSet);
      }
      return {};
    },
  };
  return { client: client as unknown as Route53Client, sent };
}

describe('restoring records moto lost', () => {
  it('writes the missing ones with UPSERT (not CREATE, which moto’s journal may refuse) and spares what it is told', async () => {
    const { client, sent } = fakeRoute53([record('app-1')]);
    const restored = await restoreMissing(
      client,
      'Z',
      [record('app-1'), record('app-2'), record('app-3')],
      (r) => r.SetIdentifier === 'app-3',
    );
    expect(restored.map((r) => r.SetIdentifier)).toEqual(['app-2']);
    expect(sent).toEqual(['UPSERT app-2']);
  });

  it('a repair that did not take is an error, never a success', async () => {
    const { client } = fakeRoute53([], true);
    await expect(restoreMissing(client, 'Z', [record('app-1')], () => false)).rejects.toThrow(
      'records not restored: app.zo.ne.|A|app-1',
    );
  });
});

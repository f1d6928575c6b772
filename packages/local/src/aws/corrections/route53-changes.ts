import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { awsError } from '../aws-errors.js';
import { type Correction, withBody } from '../aws-proxy.js';
import { hostedZoneIdOf } from '../aws-request.js';
import { changeRecords, fqdn, listRecords, recordKey, recordSetXml, restoreMissing } from '../route53-records.js';
import { at, child, childText, elements, parseXml, serializeXml, type XmlElement } from '../xml.js';

/**
 * Route53 ChangeResourceRecordSets, made to act as on AWS:
 * - moto refuses to DELETE a record that CloudFormation created (it only deletes what its own API
 *   journaled) and an UPSERT of a CloudFormation record whose name lacks the final dot adds a second
 *   record. The layer first "adopts" the stored record: an UPSERT of it as it is (which journals it),
 *   for an undotted name a replacement by the dotted one; a DELETE is then sent with the values moto holds.
 * - moto's DELETE of a weighted record drops every record with that SetIdentifier, whatever its name.
 *   Records that the change batch did not name and that are gone afterwards are created again.
 * - A DELETE of a record that does not exist fails with `InvalidChangeBatch`, as on AWS.
 */
export const route53Changes: Correction = {
  name: 'route53-changes',
  async handle(req, next, layer) {
    if (req.service !== 'route53' || req.operation !== 'ChangeResourceRecordSets') return next(req);
    const zoneId = hostedZoneIdOf(req.url);
    let root: XmlElement;
    try {
      root = parseXml(req.body.toString('utf8'));
    } catch {
      return next(req);
    }
    const changes = elements(at(root, 'ChangeBatch', 'Changes'), 'Change');
    if (!zoneId || changes.length === 0) return next(req);

    return layer.exclusive(async () => {
      const route53 = layer.moto.route53();
      let before: ResourceRecordSet[];
      try {
        before = await listRecords(route53, zoneId);
      } catch {
        return next(req);
      }
      const stored = new Map(before.map((r) => [recordKey(r), r]));
      const named = new Set<string>();
      for (const change of changes) {
        const action = childText(change, 'Action');
        const rrs = child(change, 'ResourceRecordSet');
        const key = recordKey({
          Name: childText(rrs, 'Name'),
          Type: childText(rrs, 'Type'),
          SetIdentifier: childText(rrs, 'SetIdentifier'),
        });
        named.add(key);
        if (action !== 'DELETE' && action !== 'UPSERT') continue;
        const existing = stored.get(key);
        if (!existing) {
          if (action === 'UPSERT') continue;
          const setId = childText(rrs, 'SetIdentifier');
          return awsError(
            req,
            400,
            'InvalidChangeBatch',
            `[Tried to delete resource record set [name='${fqdn(childText(rrs, 'Name'))}', type='${childText(rrs, 'Type')}'${
              setId === undefined ? '' : `, set-identifier='${setId}'`
            }] but it was not found]`,
          );
        }
        const adopted = { ...existing, Name: fqdn(existing.Name) };
        await changeRecords(route53, zoneId, 'UPSERT', [adopted]);
        if (!existing.Name?.endsWith('.') && existing.SetIdentifier !== undefined) {
          // The undotted original is reachable only by its SetIdentifier (which takes the copy along).
          await changeRecords(route53, zoneId, 'DELETE', [adopted]);
          await changeRecords(route53, zoneId, 'CREATE', [adopted]);
        }
        if (action === 'DELETE' && rrs) {
          const i = change.children.indexOf(rrs);
          change.children[i] = recordSetXml(adoptedForRequest(adopted));
        }
      }
      const res = await next(withBody(req, serializeXml(root)));
      if (res.status === 200) {
        await restoreMissing(route53, zoneId, before, (r) => named.has(recordKey(r)));
      }
      return res;
    });
  },
};

function adoptedForRequest(r: ResourceRecordSet): ResourceRecordSet {
  if (!r.AliasTarget) return r;
  const { TTL: _ttl, ResourceRecords: _rr, ...alias } = r;
  return {
    ...alias,
    AliasTarget: { ...r.AliasTarget, EvaluateTargetHealth: r.AliasTarget.EvaluateTargetHealth ?? false },
  };
}

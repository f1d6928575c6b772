import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { awsError, repairFailed } from '../aws-errors.js';
import { hostedZoneIdOf, withBody } from '../aws-request.js';
import type { Correction } from '../correction.js';
import { changeRecords, fqdn, listRecords, recordKey, recordSetXml, restoreMissing } from '../route53-records.js';
import { at, child, childText, elements, parseXml, serializeXml, setChildText, type XmlElement } from '../xml.js';
import { elbDirectory } from './alias-targets.js';
import { checkChangeBatch, requestedChanges } from './route53-change-batch.js';

/**
 * Route53 ChangeResourceRecordSets, made to act as on AWS:
 * - moto refuses to DELETE a record that CloudFormation created (it only deletes what its own API
 *   journaled) and an UPSERT of a CloudFormation record whose name lacks the final dot adds a second
 *   record. The layer first "adopts" the stored record: an UPSERT of it as it is (which journals it),
 *   for an undotted name a replacement by the dotted one; a DELETE is then sent with the values moto holds.
 * - moto's DELETE of a weighted record drops every record with that SetIdentifier, whatever its name
 *   and type. Records that are gone afterwards but should not be (not named by the batch, or written
 *   by it) are created again.
 * - The batch is checked as Route53 checks it before anything is applied (route53-change-batch): weights
 *   0..255, a DELETE must match the stored record exactly, a CREATE must not find one, an alias must
 *   name a load balancer that exists, weighted records of a name keep one TTL; else `InvalidInput` or
 *   `InvalidChangeBatch` and nothing changes.
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
      const checked = checkChangeBatch(requestedChanges(changes), before, { elbs: await elbDirectory(layer) });
      if ('error' in checked) return awsError(req, 400, checked.code, checked.error);
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
        // Checked above that the record does not exist: an UPSERT is the same, and it escapes moto's
        // journal, which refuses a CREATE equal to an earlier one even when that record is gone.
        if (action === 'CREATE') setChildText(change, 'Action', 'UPSERT');
        const existing = stored.get(key);
        if (!existing || (action !== 'DELETE' && action !== 'UPSERT')) continue;
        const adopted = { ...existing, Name: fqdn(existing.Name) };
        await changeRecords(route53, zoneId, 'UPSERT', [adopted]);
        if (!existing.Name?.endsWith('.') && existing.SetIdentifier !== undefined) {
          // The undotted original is reachable only by its SetIdentifier (which takes the copy along).
          await changeRecords(route53, zoneId, 'DELETE', [adopted]);
          await changeRecords(route53, zoneId, 'UPSERT', [adopted]);
        }
        if (action === 'DELETE' && rrs) {
          const i = change.children.indexOf(rrs);
          change.children[i] = recordSetXml(adoptedForRequest(adopted));
        }
      }
      const res = await next(withBody(req, serializeXml(root)));
      if (res.status !== 200) return res;
      try {
        // moto's DELETE by SetIdentifier also takes a record along that a later change of the batch wrote.
        const others = before.filter((r) => !named.has(recordKey(r)));
        await restoreMissing(route53, zoneId, [...others, ...checked.named], () => false);
      } catch (e) {
        return repairFailed(req, 'ChangeResourceRecordSets', e);
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

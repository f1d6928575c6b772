import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { Correction } from '../aws-proxy.js';
import { findStack, stackResources, stackTemplate } from '../cfn-lookups.js';
import { fqdn, listRecords, listZones, restoreMissing } from '../route53-records.js';

/**
 * When CloudFormation deletes (or replaces, in an update) a stack's RecordSet, AWS removes that one
 * record: same name and SetIdentifier. moto removes every record of the name, the weighted records of
 * other stack versions included. Around DeleteStack and UpdateStack the layer snapshots the weighted
 * records of the names the stack's RecordSets use and afterwards creates again, through moto's Route53
 * API, those that belong to other SetIdentifiers.
 */
export const stackRecordSets: Correction = {
  name: 'stack-record-sets',
  async handle(req, next, layer) {
    if (req.service !== 'cloudformation' || (req.operation !== 'DeleteStack' && req.operation !== 'UpdateStack')) {
      return next(req);
    }
    return layer.exclusive(async () => {
      const cfn = layer.moto.cloudformation(req.region);
      const stack = await findStack(cfn, req.params.get('StackName') ?? '');
      if (!stack?.StackId) return next(req);
      const names = new Set(
        (await stackResources(cfn, stack.StackId))
          .filter((r) => r.ResourceType === 'AWS::Route53::RecordSet' && r.PhysicalResourceId)
          .map((r) => fqdn(r.PhysicalResourceId).toLowerCase()),
      );
      if (names.size === 0) return next(req);
      const own = new Set<string>();
      for (const r of Object.values((await stackTemplate(cfn, stack.StackId))?.Resources ?? {})) {
        const id = (r?.Properties as { SetIdentifier?: unknown } | undefined)?.SetIdentifier;
        if (r?.Type === 'AWS::Route53::RecordSet' && typeof id === 'string') own.add(id);
      }
      const route53 = layer.moto.route53();
      const snapshot = new Map<string, ResourceRecordSet[]>();
      for (const zone of await listZones(route53)) {
        const zoneId = (zone.Id ?? '').replace(/^\/hostedzone\//, '');
        const weighted = (await listRecords(route53, zoneId)).filter(
          (r) => r.SetIdentifier !== undefined && names.has(fqdn(r.Name).toLowerCase()),
        );
        if (weighted.length > 0) snapshot.set(zoneId, weighted);
      }
      const res = await next(req);
      for (const [zoneId, records] of snapshot) {
        await restoreMissing(route53, zoneId, records, (r) => own.has(r.SetIdentifier ?? ''));
      }
      return res;
    });
  },
};

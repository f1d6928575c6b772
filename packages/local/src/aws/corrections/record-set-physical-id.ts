import { awsPhysicalId } from '../cfn-lookups.js';
import type { Correction } from '../correction.js';
import { childText, descendants, setChildText } from '../xml.js';
import { readXml, writeXml } from '../xml-answer.js';

const OPERATIONS = new Set(['DescribeStackResource', 'DescribeStackResources', 'ListStackResources']);

/**
 * moto names a RecordSet's physical id exactly as the template's `Name` (`app.example.org.`); AWS gives
 * the record name without the trailing dot (`app.example.org`).
 */
export const recordSetPhysicalId: Correction = {
  name: 'record-set-physical-id',
  async handle(req, next) {
    if (req.service !== 'cloudformation' || !OPERATIONS.has(req.operation)) return next(req);
    const res = await next(req);
    const root = readXml(res);
    if (!root) return res;
    let changed = false;
    for (const el of [...descendants(root, 'member'), ...descendants(root, 'StackResourceDetail')]) {
      const type = childText(el, 'ResourceType');
      const id = childText(el, 'PhysicalResourceId');
      if (type !== 'AWS::Route53::RecordSet' || id === undefined) continue;
      const fixed = awsPhysicalId(type, id);
      if (fixed !== id) {
        setChildText(el, 'PhysicalResourceId', fixed);
        changed = true;
      }
    }
    return changed ? writeXml(res, root) : res;
  },
};

import type { Correction } from '../aws-proxy.js';
import { isElbV2 } from '../aws-request.js';
import { at, childText, elements, leaf, node } from '../xml.js';
import { readXml, writeXml } from '../xml-answer.js';

/**
 * Classic ELB DescribeInstanceHealth, as AWS answers it: the state its health checks see. moto calls every
 * registered instance that is running InService. When the runtime's router checks the load balancer, the
 * layer keeps moto's answer (its errors, e.g. LoadBalancerNotFound, and its shape) and puts in the states
 * of the router's health checks; an instance the request names that the router does not check keeps
 * moto's entry.
 */
export const instanceHealth: Correction = {
  name: 'instance-health',
  async handle(req, next, layer) {
    if (req.service !== 'elasticloadbalancing' || isElbV2(req) || req.operation !== 'DescribeInstanceHealth') {
      return next(req);
    }
    const seen = layer.links.health?.instanceHealth(req.params.get('LoadBalancerName') ?? '', req.region);
    if (!seen) return next(req);
    const res = await next(req);
    const root = readXml(res);
    const states = at(root, 'DescribeInstanceHealthResult', 'InstanceStates');
    if (!root || !states) return res;
    const asked: string[] = [];
    for (let n = 1; req.params.has(`Instances.member.${n}.InstanceId`); n++) {
      asked.push(req.params.get(`Instances.member.${n}.InstanceId`) ?? '');
    }
    const ours = new Map(seen.map((h) => [h.instanceId, h]));
    const motos = new Map(elements(states, 'member').map((m) => [childText(m, 'InstanceId') ?? '', m]));
    const ids = asked.length > 0 ? asked : [...new Set([...seen.map((h) => h.instanceId), ...motos.keys()])];
    states.children = ids.flatMap((id) => {
      const h = ours.get(id);
      if (!h) {
        const kept = motos.get(id);
        return kept ? [kept] : [];
      }
      return [
        node('member', [
          leaf('Description', h.description),
          leaf('InstanceId', h.instanceId),
          leaf('State', h.state),
          leaf('ReasonCode', h.reasonCode),
        ]),
      ];
    });
    return writeXml(res, root);
  },
};

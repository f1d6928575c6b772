import { targetHealthOf } from '../../contract/elb-health.js';
import { isElbV2 } from '../aws-request.js';
import type { Correction } from '../correction.js';
import { at, child, childText, elements, leaf, node, type XmlElement } from '../xml.js';
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

/**
 * ELBv2 DescribeTargetHealth likewise: for the target group the router serves (of an application load
 * balancer), each instance target's state as its health checks see it (`healthy`, `initial` while
 * registering, `unhealthy` after failed checks, `unused` when its container does not run); moto says
 * `healthy` for every running target.
 */
export const targetHealth: Correction = {
  name: 'target-health',
  async handle(req, next, layer) {
    if (req.service !== 'elasticloadbalancing' || !isElbV2(req) || req.operation !== 'DescribeTargetHealth') {
      return next(req);
    }
    const seen = layer.links.health?.instanceHealth(req.params.get('TargetGroupArn') ?? '', req.region);
    if (!seen) return next(req);
    const res = await next(req);
    const root = readXml(res);
    const list = at(root, 'DescribeTargetHealthResult', 'TargetHealthDescriptions');
    if (!root || !list) return res;
    const ours = new Map(seen.map((h) => [h.instanceId, h]));
    for (const member of elements(list, 'member')) {
      const h = ours.get(childText(child(member, 'Target'), 'Id') ?? '');
      if (!h) continue;
      const t = targetHealthOf(h);
      const health: XmlElement[] = [leaf('State', t.state)];
      if (t.reason) health.push(leaf('Reason', t.reason));
      if (t.description) health.push(leaf('Description', t.description));
      member.children = [
        ...member.children.filter((c) => typeof c === 'string' || c.name !== 'TargetHealth'),
        node('TargetHealth', health),
      ];
    }
    return writeXml(res, root);
  },
};

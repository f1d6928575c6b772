import { DescribeLoadBalancersCommand as DescribeClassic } from '@aws-sdk/client-elastic-load-balancing';
import { DescribeLoadBalancersCommand as DescribeV2 } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Correction, LayerContext } from '../correction.js';
import { at, child, childText, descendants, elements, setChildText } from '../xml.js';
import { readXml, writeXml } from '../xml-answer.js';
import { ELB_HOSTED_ZONE_IDS, regionalDnsName } from './elb-dns-region.js';

interface ElbEntry {
  dnsName: string;
  zoneId: string;
}

const ZONE_ID = /^Z[0-9A-Z]+$/;
const ELB_NAME = /\.elb\.amazonaws\.com\.?$/i;

/**
 * Route53 ListResourceRecordSets, as AWS answers it:
 * - an alias target made by CloudFormation from `Fn::GetAtt [LB, CanonicalHostedZoneID]` keeps moto's
 *   unresolved attribute (or nothing) as its hosted-zone id: resolved to the load balancer's canonical
 *   hosted zone id (the one DescribeLoadBalancers gives);
 * - classic ELB DNS names that moto made in us-east-1 name the load balancer's own region;
 * - record names and alias DNS names are fully qualified (final dot);
 * - moto shows the SOA value as a Python dict (`{'Value': '...'}`): the value alone.
 */
export const aliasTargets: Correction = {
  name: 'alias-targets',
  async handle(req, next, layer) {
    if (req.service !== 'route53' || req.operation !== 'ListResourceRecordSets') return next(req);
    const res = await next(req);
    const root = readXml(res);
    const sets = elements(at(root, 'ResourceRecordSets'), 'ResourceRecordSet');
    if (!root || sets.length === 0) return res;
    let directory: Map<string, ElbEntry> | undefined;
    const lookup = async (dnsName: string) => {
      directory ??= await elbDirectory(layer);
      return directory.get(dnsName.toLowerCase().replace(/\.$/, ''));
    };
    for (const set of sets) {
      const name = childText(set, 'Name') ?? '';
      if (name && !name.endsWith('.')) setChildText(set, 'Name', `${name}.`);
      const alias = child(set, 'AliasTarget');
      if (alias) {
        const dns = childText(alias, 'DNSName') ?? '';
        const zone = childText(alias, 'HostedZoneId') ?? '';
        const elb = ELB_NAME.test(dns) ? await lookup(dns) : undefined;
        if (elb) {
          setChildText(alias, 'DNSName', `${elb.dnsName}.`);
          if (!ZONE_ID.test(zone)) setChildText(alias, 'HostedZoneId', elb.zoneId);
        } else if (dns && !dns.endsWith('.')) {
          setChildText(alias, 'DNSName', `${dns}.`);
        }
        if (child(alias, 'EvaluateTargetHealth') === undefined) setChildText(alias, 'EvaluateTargetHealth', 'false');
        // An alias record has no TTL on AWS; moto reports 0.
        set.children = set.children.filter((c) => typeof c === 'string' || c.name !== 'TTL');
      }
      for (const value of descendants(set, 'Value')) {
        const text = value.children.join('');
        const soa = /^\{'Value': '(.*)'\}$/.exec(text);
        if (soa) value.children = [soa[1] ?? ''];
        else if (ELB_NAME.test(text)) {
          const elb = await lookup(text);
          if (elb) value.children = [elb.dnsName];
        }
      }
    }
    return writeXml(res, root);
  },
};

/** The load balancers of every region the layer has seen, by DNS name (moto's and AWS's spelling). */
export async function elbDirectory(layer: LayerContext): Promise<Map<string, ElbEntry>> {
  const out = new Map<string, ElbEntry>();
  for (const region of layer.regions) {
    try {
      const v2 = await layer.moto.elbv2(region).send(new DescribeV2({}));
      for (const lb of v2.LoadBalancers ?? []) {
        if (!lb.DNSName) continue;
        const dnsName = regionalDnsName(lb.DNSName, region);
        const entry = { dnsName, zoneId: lb.CanonicalHostedZoneId ?? ELB_HOSTED_ZONE_IDS[region] ?? '' };
        out.set(lb.DNSName.toLowerCase(), entry);
        out.set(dnsName.toLowerCase(), entry);
      }
    } catch {
      // no ELBv2 in this region
    }
    try {
      const classic = await layer.moto.elb(region).send(new DescribeClassic({}));
      for (const lb of classic.LoadBalancerDescriptions ?? []) {
        if (!lb.DNSName) continue;
        const dnsName = regionalDnsName(lb.DNSName, region);
        const entry = { dnsName, zoneId: lb.CanonicalHostedZoneNameID ?? ELB_HOSTED_ZONE_IDS[region] ?? '' };
        // moto's classic names all say us-east-1: the region that has the load balancer wins.
        if (!out.has(lb.DNSName.toLowerCase()) || region !== 'us-east-1') out.set(lb.DNSName.toLowerCase(), entry);
        out.set(dnsName.toLowerCase(), entry);
      }
    } catch {
      // no classic ELB in this region
    }
  }
  return out;
}

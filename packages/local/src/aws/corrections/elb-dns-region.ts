import { isElbV2 } from '../aws-request.js';
import type { Correction } from '../correction.js';
import { childText, descendants, leaf } from '../xml.js';
import { readXml, writeXml } from '../xml-answer.js';

const MOTO_SUFFIX = '.us-east-1.elb.amazonaws.com';

/**
 * Canonical hosted zone ids of Elastic Load Balancing per region, as AWS publishes them (classic and
 * application load balancers share them). moto's classic ELB has none.
 */
export const ELB_HOSTED_ZONE_IDS: Record<string, string> = {
  'us-east-1': 'Z35SXDOTRQ7X7K',
  'us-east-2': 'Z3AADJGX6KTTL2',
  'us-west-1': 'Z368ELLRRE2KJ0',
  'us-west-2': 'Z1H1FL5HABSF5',
  'eu-central-1': 'Z215JYRZR1TBD5',
  'eu-west-1': 'Z32O12XQLNTSW2',
  'eu-west-2': 'ZHURV8PSTC4K8',
  'eu-west-3': 'Z3Q77PNBQS71R4',
  'eu-north-1': 'Z23TAZ7KKB2L3L',
  'ap-southeast-1': 'Z1LMS91P8CMLE5',
  'ap-southeast-2': 'Z1GM3OXH4ZPM65',
  'ap-northeast-1': 'Z14GRHDCWA56QT',
};

/** An ELB DNS name as AWS gives it in `region` (moto's classic ELB always says us-east-1). */
export function regionalDnsName(name: string, region: string): string {
  return name.endsWith(MOTO_SUFFIX) ? `${name.slice(0, -MOTO_SUFFIX.length)}.${region}.elb.amazonaws.com` : name;
}

/**
 * Classic ELB DNS names in moto always say `us-east-1`, whatever the region; AWS names the load
 * balancer's region. Rewritten in ELB/ELBv2 describe answers and in CloudFormation stack outputs (where
 * `Fn::GetAtt [LB, DNSName]` surfaces them); classic ELB answers also get the region's
 * `CanonicalHostedZoneNameID`, which moto leaves out.
 */
export const elbDnsRegion: Correction = {
  name: 'elb-dns-region',
  async handle(req, next) {
    const elb = req.service === 'elasticloadbalancing' && req.operation === 'DescribeLoadBalancers';
    const outputs = req.service === 'cloudformation' && req.operation === 'DescribeStacks';
    if (!elb && !outputs) return next(req);
    const res = await next(req);
    const root = readXml(res);
    if (!root) return res;
    let changed = false;
    const names = elb ? ['DNSName', 'CanonicalHostedZoneName'] : ['OutputValue'];
    for (const name of names) {
      for (const el of descendants(root, name)) {
        const text = el.children.filter((c) => typeof c === 'string').join('');
        if (req.region !== 'us-east-1' && text.includes(MOTO_SUFFIX)) {
          el.children = [text.split(MOTO_SUFFIX).join(`.${req.region}.elb.amazonaws.com`)];
          changed = true;
        }
      }
    }
    if (elb && !isElbV2(req)) {
      for (const lb of descendants(root, 'member')) {
        if (childText(lb, 'LoadBalancerName') === undefined || childText(lb, 'CanonicalHostedZoneNameID')) continue;
        const zone = ELB_HOSTED_ZONE_IDS[req.region];
        if (!zone) continue;
        lb.children.push(leaf('CanonicalHostedZoneNameID', zone));
        changed = true;
      }
    }
    return changed ? writeXml(res, root) : res;
  },
};

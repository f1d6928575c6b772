/**
 * What an incoming AWS API request is: the service and region from the SigV4 credential scope, the wire
 * protocol, and the operation (form `Action`, `X-Amz-Target`, or the Route53 REST path).
 */
export type AwsProtocol = 'query' | 'ec2' | 'restXml' | 'json' | 'other';

export interface AwsRequest {
  method: string;
  /** Path with query string, as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Signing name: `cloudformation`, `ec2`, `elasticloadbalancing`, `autoscaling`, `route53`, ... */
  service: string;
  region: string;
  protocol: AwsProtocol;
  operation: string;
  /** Decoded form parameters of query-protocol requests (empty otherwise). */
  params: URLSearchParams;
  /** `2015-12-01` tells ELBv2 from classic ELB (`2012-06-01`), both signed as elasticloadbalancing. */
  apiVersion?: string;
  /** Marks that outer corrections leave for inner ones (e.g. `stack-failure` on a CreateStack). */
  notes: Set<string>;
}

const SCOPE = /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

export function describeRequest(
  method: string,
  url: string,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
  defaultRegion: string,
): AwsRequest {
  const auth = String(headers.authorization ?? '');
  const scope = SCOPE.exec(auth);
  const path = url.split('?')[0] ?? '/';
  let service = scope?.[2] ?? '';
  const region = scope?.[1] ?? defaultRegion;
  if (!service && path.startsWith('/2013-04-01/')) service = 'route53';
  const target = headers['x-amz-target'];
  const contentType = String(headers['content-type'] ?? '');
  let protocol: AwsProtocol = 'other';
  let operation = '';
  let params = new URLSearchParams();
  let apiVersion: string | undefined;
  if (typeof target === 'string' && target) {
    protocol = 'json';
    operation = target.slice(target.lastIndexOf('.') + 1);
  } else if (method === 'POST' && contentType.includes('application/x-www-form-urlencoded')) {
    params = new URLSearchParams(body.toString('utf8'));
    operation = params.get('Action') ?? '';
    apiVersion = params.get('Version') ?? undefined;
    protocol = service === 'ec2' ? 'ec2' : 'query';
  } else if (service === 'route53') {
    protocol = 'restXml';
    operation = route53Operation(method, path);
  } else if (service === 's3') {
    protocol = 'restXml';
  }
  return { method, url, headers, body, service, region, protocol, operation, params, apiVersion, notes: new Set() };
}

/** The Route53 operations the layer needs to recognise, by REST path. */
export function route53Operation(method: string, path: string): string {
  const p = path.replace(/\/+$/, '');
  if (/\/hostedzone\/[^/]+\/rrset$/.test(p)) {
    return method === 'POST' ? 'ChangeResourceRecordSets' : 'ListResourceRecordSets';
  }
  if (/\/hostedzonesbyname$/.test(p)) return 'ListHostedZonesByName';
  if (/\/hostedzone$/.test(p)) return method === 'POST' ? 'CreateHostedZone' : 'ListHostedZones';
  if (/\/hostedzone\/[^/]+$/.test(p)) return method === 'DELETE' ? 'DeleteHostedZone' : 'GetHostedZone';
  if (/\/change\/[^/]+$/.test(p)) return 'GetChange';
  if (/\/healthcheck/.test(p)) return method === 'GET' ? 'ListHealthChecks' : 'HealthCheck';
  return '';
}

/** The hosted zone id in a Route53 `/2013-04-01/hostedzone/<id>/...` path. */
export function hostedZoneIdOf(url: string): string | undefined {
  return /\/hostedzone\/([^/?]+)/.exec(url)?.[1];
}

/** True for ELBv2 (application/network load balancers), false for classic ELB. */
export function isElbV2(req: AwsRequest): boolean {
  return req.service === 'elasticloadbalancing' && req.apiVersion === '2015-12-01';
}

/** Query-protocol list parameters: `Prefix.member.1`, `Prefix.member.2`, ... */
export function memberList(params: URLSearchParams, prefix: string): string[] {
  const out: string[] = [];
  for (let n = 1; ; n++) {
    const v = params.get(`${prefix}.member.${n}`);
    if (v === null) return out;
    out.push(v);
  }
}

/** The request with other form parameters (query protocols): the body is encoded again. */
export function withParams(req: AwsRequest, params: URLSearchParams): AwsRequest {
  return { ...req, params, body: Buffer.from(params.toString()) };
}

export function withBody(req: AwsRequest, body: string): AwsRequest {
  return { ...req, body: Buffer.from(body) };
}

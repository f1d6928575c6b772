import { longestZones, withoutDot } from '../../aws/dns-names.js';
import { NotFoundError } from '../../errors.js';
import type { FactNeed } from '../template/account-facts.js';
import { type CfTemplate, isObject, type JsonObject } from '../template/template-types.js';
import type { WeightedDomain } from './certificates.js';
import { type ComponentContext, configError } from './component.js';

/** A hosted zone as the account facts list it (name with trailing dot). */
export interface HostedZone {
  id: string;
  name: string;
}

/**
 * Splits a fully qualified domain name into the subdomain and the hosted zone that serves it
 * (`great.api.zo.ne.com` with zone `zo.ne.com.` → `great.api` + `zo.ne.com.`). A zone must match at
 * a label boundary; the apex itself gives an empty subdomain.
 */
export function splitDomain(name: string, zones: HostedZone[]): WeightedDomain {
  const fqdn = withoutDot(name);
  const lower = fqdn.toLowerCase();
  // Deviation from senza: the longest matching zone wins, without a menu; the original took the
  // first matching zone in API order (and matched plain string suffixes, not whole labels).
  const zone = longestZones(zones, fqdn, (z) => z.name)[0];
  const best = zone && withoutDot(zone.name);
  if (best === undefined) {
    // Deviation from senza: an unknown domain is an error naming the account's zones; the original
    // guessed a zone by splitting the name at its first dot.
    const names = [...new Set(zones.map((z) => withoutDot(z.name)))].sort();
    throw new NotFoundError(`No Domain configured for "${fqdn}"`, {
      code: 'senza.domain-missing',
      hint:
        names.length > 0
          ? `The account's Route53 hosted zones are: ${names.join(', ')}. Use a domain in one of them.`
          : 'The account has no Route53 hosted zone; create one for your team domain.',
      data: { domain: fqdn, zones: names },
    });
  }
  const subdomain = lower === best.toLowerCase() ? '' : fqdn.slice(0, fqdn.length - best.length - 1);
  return { subdomain, zone: `${best}.` };
}

/** The weighted DNS components read hosted zones unless the definition spells out `Domains`. */
export function weightedDomainNeeds(config: JsonObject): FactNeed[] {
  return 'Domains' in config ? [] : [{ kind: 'hostedZones' }];
}

function domainFor(
  config: JsonObject,
  key: 'MainDomain' | 'VersionDomain',
  ctx: ComponentContext,
  defaultSubdomain: string,
): WeightedDomain {
  const value = config[key];
  if (value === undefined) {
    return { subdomain: defaultSubdomain, zone: `${withoutDot(ctx.facts.domain())}.` };
  }
  if (typeof value !== 'string' || value === '') {
    throw configError(ctx, key, `${key} must be a domain name, not ${JSON.stringify(value)}`);
  }
  const domain = splitDomain(value, ctx.facts.hostedZones());
  if (domain.subdomain === '') {
    throw configError(
      ctx,
      key,
      `${key} "${value}" is the hosted zone itself; the load balancer needs a name inside it`,
      `Use a subdomain, e.g. ${ctx.info.StackName}.${withoutDot(value)}`,
    );
  }
  return domain;
}

/**
 * The configuration a weighted DNS load balancer hands to its load balancer component: without
 * `Domains`, a weighted `MainDomain` (default `<StackName>.<account domain>`) and a standalone
 * `VersionDomain` (default `<StackName>-<StackVersion>.<account domain>`) replace the `MainDomain`
 * and `VersionDomain` keys.
 */
export function withWeightedDomains(config: JsonObject, ctx: ComponentContext): JsonObject {
  if ('Domains' in config) return config;
  const { StackName, StackVersion } = ctx.info;
  const main = domainFor(config, 'MainDomain', ctx, StackName);
  const version = domainFor(config, 'VersionDomain', ctx, `${StackName}-${StackVersion}`);
  const { MainDomain: _main, VersionDomain: _version, ...rest } = config;
  return {
    ...rest,
    Domains: {
      MainDomain: { Type: 'weighted', Zone: main.zone, Subdomain: main.subdomain },
      VersionDomain: { Type: 'standalone', Zone: version.zone, Subdomain: version.subdomain },
    },
  };
}

function label(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/**
 * Adds one `AWS::Route53::RecordSet` per `Domains` entry (`<N><key>`): an A alias to the load
 * balancer; `weighted` entries start with `Weight: 0` under `SetIdentifier <StackName>-<StackVersion>`.
 * Returns the (last) weighted domain, which picks the automatic certificate, or null.
 *
 * `zoneIdAttribute` is `CanonicalHostedZoneNameID` for classic ELBs, `CanonicalHostedZoneID` for ELBv2.
 */
export function addDomainRecordSets(
  template: CfTemplate,
  domains: unknown,
  ctx: ComponentContext,
  zoneIdAttribute: 'CanonicalHostedZoneNameID' | 'CanonicalHostedZoneID',
): WeightedDomain | null {
  if (domains === undefined || domains === null) return null;
  if (!isObject(domains)) {
    throw configError(ctx, 'Domains', 'Domains must be a map of {Type, Zone, Subdomain} entries');
  }
  const lb = ctx.name;
  let weighted: WeightedDomain | null = null;
  for (const [key, domain] of Object.entries(domains)) {
    const zone = isObject(domain) ? label(domain.Zone) : undefined;
    const subdomain = isObject(domain) ? label(domain.Subdomain) : undefined;
    if (!isObject(domain) || zone === undefined || subdomain === undefined) {
      throw configError(
        ctx,
        ['Domains', key],
        'a domain needs Zone and Subdomain',
        'e.g. {Type: weighted, Zone: team.example.org., Subdomain: app}',
      );
    }
    const name = `${subdomain}.${zone}`;
    // Deviation from senza: no Route53 writes while compiling. The original first converted
    // existing CNAME records of this name to alias records, even for `senza print`.
    const properties: JsonObject = {
      Type: 'A',
      Name: name,
      HostedZoneName: zone,
      AliasTarget: {
        HostedZoneId: { 'Fn::GetAtt': [lb, zoneIdAttribute] },
        DNSName: { 'Fn::GetAtt': [lb, 'DNSName'] },
      },
    };
    if (domain.Type === 'weighted') {
      properties.Weight = 0;
      properties.SetIdentifier = `${ctx.info.StackName}-${ctx.info.StackVersion}`;
      weighted = { subdomain, zone };
    }
    template.Resources[`${lb}${key}`] = { Type: 'AWS::Route53::RecordSet', Properties: properties };
  }
  return weighted;
}

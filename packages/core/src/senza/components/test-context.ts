/**
 * Shared fixtures for component unit tests (imported by `*.test.ts` only): a ComponentContext over a
 * hand-made account snapshot, and a runner that hands `apply()` only the facts `needs()` declared, so a
 * component that reads an undeclared fact fails its tests the way it would fail in the real pipeline.
 */
import { RecordingHost } from '../../io/messages.js';
import { AccountFacts, type AccountFactsSnapshot, type FactNeed } from '../template/account-facts.js';
import type { CfTemplate, JsonObject } from '../template/template-types.js';
import type { ComponentContext, ComponentType, NeedsContext, SenzaInfo } from './component.js';

export interface TestContextOptions {
  name?: string;
  /** SenzaInfo (defaults: StackName `test`, StackVersion `1`); any JSON-like value is accepted. */
  info?: { StackName?: string; StackVersion?: string; [key: string]: unknown };
  region?: string;
  force?: boolean;
  args?: Record<string, string>;
  /** The whole account; `runComponent` narrows it to what the component declared. */
  facts?: Omit<AccountFactsSnapshot, 'region'>;
  path?: (string | number)[];
}

export function emptyTemplate(extra: Partial<CfTemplate> = {}): CfTemplate {
  return { AWSTemplateFormatVersion: '2010-09-09', Mappings: {}, Resources: {}, ...extra } as CfTemplate;
}

function baseContext(options: TestContextOptions): NeedsContext {
  const info = { StackName: 'test', StackVersion: '1', ...options.info } as unknown as SenzaInfo;
  return {
    name: options.name ?? 'Component',
    info,
    region: options.region ?? 'eu-central-1',
    force: options.force ?? false,
  };
}

/** A context whose facts are the whole snapshot (no narrowing). */
export function testContext(options: TestContextOptions = {}): { ctx: ComponentContext; host: RecordingHost } {
  const base = baseContext(options);
  const host = new RecordingHost();
  const ctx: ComponentContext = {
    ...base,
    args: options.args ?? { region: base.region, version: base.info.StackVersion },
    facts: new AccountFacts({ region: base.region, ...options.facts }),
    host,
    path: options.path ?? ['SenzaComponents', 0, base.name],
  };
  return { ctx, host };
}

/** The part of `full` that a collector would have fetched for `needs`. */
export function narrowSnapshot(full: AccountFactsSnapshot, needs: FactNeed[]): AccountFactsSnapshot {
  const out: AccountFactsSnapshot = { region: full.region };
  for (const need of needs) {
    switch (need.kind) {
      case 'accountId':
        out.accountId = full.accountId ?? null;
        break;
      case 'accountAlias':
        out.accountAlias = full.accountAlias ?? null;
        break;
      case 'vpcs':
        out.vpcs = full.vpcs ?? [];
        break;
      case 'hostedZones':
        out.hostedZones = full.hostedZones ?? [];
        break;
      case 'subnets':
        out.subnets = full.subnets ?? [];
        break;
      case 'taupageImages':
        out.taupageImages = full.taupageImages ?? {};
        break;
      case 'securityGroups':
        out.securityGroups = full.securityGroups ?? [];
        break;
      case 'certificates':
        out.acmCertificates = full.acmCertificates ?? [];
        out.iamServerCertificates = full.iamServerCertificates ?? [];
        break;
      case 'natGateways':
        out.natGateways = full.natGateways ?? [];
        break;
      case 'stackResource': {
        const key = `${need.stack}/${need.logicalId}`;
        out.stackResources = { ...out.stackResources, [key]: full.stackResources?.[key] ?? null };
        break;
      }
      case 'stackOutputs':
        out.stacks = { ...out.stacks, [need.stack]: full.stacks?.[need.stack] ?? null };
        break;
      case 'rolePolicies':
        out.rolePolicies = { ...out.rolePolicies };
        for (const role of need.roles) out.rolePolicies[role] = full.rolePolicies?.[role] ?? [];
        break;
      case 'topics':
        out.topics = full.topics ?? [];
        break;
      case 'buckets':
        out.buckets = full.buckets ?? [];
        break;
      case 'dockerImages':
        out.dockerImages = full.dockerImages ?? {};
        break;
      case 'kmsDecrypt':
        out.kmsPlaintexts = full.kmsPlaintexts ?? {};
        break;
    }
  }
  return out;
}

/**
 * Runs `needs()` then `apply()` like the pipeline does, with the account narrowed to the declared
 * needs. Returns the template (mutated in place), the context and the recorded messages.
 */
export function runComponent(
  component: ComponentType,
  config: JsonObject,
  options: TestContextOptions = {},
  template: CfTemplate = emptyTemplate(),
): { template: CfTemplate; ctx: ComponentContext; host: RecordingHost; needs: FactNeed[] } {
  const base = baseContext(options);
  const needs = component.needs(config, base);
  const { ctx, host } = testContext(options);
  const narrowed = narrowSnapshot({ region: ctx.region, ...options.facts }, needs);
  const strictCtx: ComponentContext = { ...ctx, facts: new AccountFacts(narrowed) };
  component.apply(template, config, strictCtx);
  return { template, ctx: strictCtx, host, needs };
}

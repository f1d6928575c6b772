import { truthy } from '../../io/python-values.js';
import { pythonTitle } from '../../io/table.js';
import type { FactNeed } from '../template/account-facts.js';
import { type CfTemplate, isObject, type Json, type JsonObject } from '../template/template-types.js';
import { type ComponentContext, type ComponentType, configError } from './component.js';

/** CloudFormation limits a template description to 1024 characters. */
const MAX_DESCRIPTION = 1024;

/** `Hello World (ImageVersion: 1.0, Stage: test)`: stack name and every argument but region/version. */
export function defaultDescription(stackName: string, args: Record<string, string>): string {
  const params = Object.keys(args)
    .filter((k) => k !== 'region' && k !== 'version')
    .sort()
    .map((k) => `${k}: ${args[k]}`)
    .join(', ');
  const description = `${pythonTitle(stackName).replaceAll('-', ' ')} (${params})`;
  // Python slices by code point, not by UTF-16 unit.
  return Array.from(description).slice(0, MAX_DESCRIPTION).join('');
}

/** `template[k1][k2]...` as a map, creating missing levels (the original's `ensure_keys`). */
export function ensureMap(root: JsonObject, ...keys: string[]): JsonObject {
  let node = root;
  for (const key of keys) {
    const next = node[key];
    if (isObject(next)) node = next;
    else {
      const created: JsonObject = {};
      node[key] = created;
      node = created;
    }
  }
  return node;
}

function mapEntries(config: JsonObject, key: string, ctx: ComponentContext): [string, Json][] {
  const value = config[key];
  if (value === undefined || value === null) return [];
  if (!isObject(value)) {
    throw configError(ctx, key, `${key} must be a map of region to value`, `e.g. ${key}: {${ctx.region}: [...]}`);
  }
  return Object.entries(value);
}

/**
 * The `Senza::Configuration` logic, shared by the auto-configuration components: CloudFormation
 * parameters from `SenzaInfo.Parameters`, a default description, and the subnet and image mappings.
 */
export function applyConfiguration(template: CfTemplate, config: JsonObject, ctx: ComponentContext): void {
  const parameters = ctx.info.Parameters;
  if (parameters !== undefined && truthy(config.DefineParameters ?? true)) {
    const target = ensureMap(template as JsonObject, 'Parameters');
    for (const entry of Array.isArray(parameters) ? parameters : []) {
      if (typeof entry === 'string') {
        target[entry] = { Type: 'String' };
        continue;
      }
      if (!isObject(entry)) continue;
      const [name, attrs] = Object.entries(entry)[0] ?? [];
      if (name === undefined) continue;
      target[name] = { Type: 'String', ...(isObject(attrs) ? attrs : {}) };
    }
  }

  if (template.Description === undefined) {
    template.Description = defaultDescription(ctx.info.StackName, ctx.args);
  }

  template.Mappings ??= {};
  const mappings = template.Mappings as JsonObject;
  for (const key of ['ServerSubnets', 'LoadBalancerSubnets', 'LoadBalancerInternalSubnets']) {
    for (const [region, subnets] of mapEntries(config, key, ctx)) {
      ensureMap(mappings, key, region).Subnets = subnets;
    }
  }

  for (const [imageName, perRegion] of mapEntries(config, 'Images', ctx)) {
    if (!isObject(perRegion)) {
      throw configError(
        ctx,
        ['Images', imageName],
        `Images.${imageName} must be a map of region to AMI id`,
        `e.g. Images: {${imageName}: {${ctx.region}: ami-12345678}}`,
      );
    }
    for (const [region, ami] of Object.entries(perRegion)) {
      ensureMap(mappings, 'Images', region)[imageName] = ami;
    }
  }
}

export const configuration: ComponentType = {
  type: 'Senza::Configuration',
  needs(): FactNeed[] {
    return [];
  },
  apply: applyConfiguration,
};

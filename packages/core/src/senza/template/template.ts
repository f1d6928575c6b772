import { DefinitionError, formatLocation, isStupsError, UsageError } from '../../errors.js';
import { type IoHost, type Message, silentHost } from '../../io/messages.js';
import { pythonStr } from '../../io/python-values.js';
import { resolveTopicArn } from '../components/auto-scaling-group.js';
import type { ComponentContext, NeedsContext, SenzaInfo } from '../components/component.js';
import { componentTypes } from '../components/registry.js';
import {
  assignArguments,
  completeArguments,
  type ParameterArgument,
  type ParameterDef,
  parameterDefs,
  parameterValueText,
  validateVersion,
} from '../definition/arguments.js';
import {
  checkComponentName,
  checkStackName,
  checkStackTag,
  STACK_TAG_LIMIT,
  stackTagProblem,
  TAG_RULES,
} from '../definition/aws-names.js';
import { parameterConversionMessage } from '../definition/definition-messages.js';
import { placeholderNames, type RenderContext, renderString, renderTree } from '../definition/render.js';
import { closest } from '../definition/suggest.js';
import { KNOWN_COMPONENT_TYPES } from '../definition/validate-definition.js';
import type { YamlScalar } from '../definition/yaml-python-str.js';
import type { AccountFacts, FactNeed } from './account-facts.js';
import { accountInfoContext, accountInfoNeeds } from './account-info.js';
import { type CfTemplate, isObject, type Json, type JsonObject } from './template-types.js';

/** A parsed definition with where it came from, for error locations. */
export interface LoadedDefinition {
  doc: JsonObject;
  file?: string;
  locate?(path: (string | number)[]): { line: number; column: number } | undefined;
  /** The YAML scalar at exactly `path`, for Python's str() of parameter values. */
  scalar?(path: (string | number)[]): YamlScalar | undefined;
}

export interface TemplateRequest {
  definition: LoadedDefinition;
  version: string;
  /** Positional and KEY=VALUE arguments, then `--parameter-file` entries. */
  parameters: ParameterArgument[];
  region: string;
  /** Skip checks against remote registries (--force). */
  force?: boolean;
  /** `--tag KEY=VALUE` items, appended to the stack tags. */
  extraTags?: { Key: string; Value: string }[];
}

export interface Tag {
  Key: string;
  Value: string;
}

/** Everything CreateStack/UpdateStack needs, computed without I/O. */
export interface CompiledStack {
  stackName: string;
  template: CfTemplate;
  tags: Tag[];
  notificationArns: string[];
  capabilities: string[];
  parameters: { ParameterKey: string; ParameterValue: string | null }[];
  args: Record<string, string>;
}

/** The definition after the placeholder passes that precede the components. */
export interface PreparedDefinition {
  request: TemplateRequest;
  info: SenzaInfo;
  /** The rest of the document, rendered; Mappings.Senza.Info holds `info`. */
  doc: JsonObject;
  args: Record<string, string>;
  placeholders: Set<string>;
  /** Warnings about the arguments (values YAML changed), for the caller's host. */
  messages: Message[];
}

function senzaInfoOf(def: LoadedDefinition): JsonObject {
  const info = def.doc.SenzaInfo;
  if (!isObject(info)) {
    throw new DefinitionError(
      '"SenzaInfo" must be a map with at least StackName',
      { file: def.file, path: ['SenzaInfo'] },
      {
        code: 'definition.senza-info',
      },
    );
  }
  return info;
}

/** Adds file, line and column to definition errors raised with only a key path. */
export function locateErrors<T>(def: LoadedDefinition, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DefinitionError && e.location.file === undefined) {
      const pos = e.location.path && def.locate?.(e.location.path);
      const location = { ...e.location, file: def.file, ...(e.location.line === undefined ? pos : {}) };
      const located = new DefinitionError(e.reason, location, { code: e.code, hint: e.hint, cause: e });
      located.stack = e.stack;
      throw located;
    }
    throw e;
  }
}

/** Step 1 (pure): the account facts that placeholders and parameter defaults need. */
export function accountInfoNeedsOf(request: TemplateRequest): FactNeed[] {
  return locateErrors(request.definition, () => {
    validateVersion(request.version);
    const info = senzaInfoOf(request.definition);
    // Argument errors (too many, unknown keyword) and bad names are reported before anything is fetched.
    assignArguments(parameterDefs(info), request.parameters);
    checkAwsNames(info, request.version, 'skip');
    checkComponentNames(request.definition.doc.SenzaComponents, 'skip');
    return accountInfoNeeds(placeholderNames(request.definition.doc));
  });
}

/** Step 2 (pure given facts): arguments, then SenzaInfo and the rest of the document rendered. */
export function prepareDefinition(request: TemplateRequest, facts: AccountFacts): PreparedDefinition {
  const def = request.definition;
  return locateErrors(def, () => {
    validateVersion(request.version);
    const rawInfo = senzaInfoOf(def);
    const placeholders = placeholderNames(def.doc);
    const AccountInfo = accountInfoContext(facts, placeholders);
    const defs: ParameterDef[] = parameterDefs(rawInfo);
    const assigned = assignArguments(defs, request.parameters);
    const { args: params, conversions } = completeArguments(
      defs,
      assigned,
      (template, name) => {
        const path = defs.find((d) => d.name === name)?.path ?? ['SenzaInfo', 'Parameters'];
        return String(renderString(template, { AccountInfo }, [...path, 'Default']));
      },
      (value, path, name) =>
        parameterValueText(value, def.scalar?.(path), { name, file: def.file, path, ...def.locate?.(path) }),
    );
    // Parameter-file entries YAML changed; a later duplicate or unknown name has failed above.
    const fileConversions = request.parameters.flatMap((p) => (typeof p === 'string' ? [] : [p.conversion]));
    const messages = [...fileConversions, ...conversions].map(parameterConversionMessage);
    const args: Record<string, string> = { ...params, region: request.region, version: request.version };

    // Pass 1: SenzaInfo, with Arguments and AccountInfo only.
    const infoInput: JsonObject = { ...rawInfo, StackVersion: request.version };
    const info = renderTree(infoInput, { Arguments: args, AccountInfo, SenzaInfo: {}, SenzaComponents: [] }, [
      'SenzaInfo',
    ]) as JsonObject;
    if (typeof info.StackName !== 'string' || info.StackName === '') {
      throw new DefinitionError(
        'StackName must be a non-empty string',
        { path: ['SenzaInfo', 'StackName'] },
        {
          code: 'definition.stack-name',
        },
      );
    }
    checkAwsNames(info, request.version, 'rendered');
    info.StackVersion = request.version;
    info.Tags = stackTags(info).map((t) => ({ [t.Key]: t.Value }));

    // Pass 2: everything else, with SenzaInfo available.
    const { SenzaInfo: _omit, ...rest } = def.doc;
    const mappings = isObject(rest.Mappings) ? rest.Mappings : {};
    const withInfo: JsonObject = { ...rest, Mappings: { ...mappings, Senza: { Info: info } } };
    const doc = renderTree(withInfo, {
      SenzaInfo: info,
      Arguments: args,
      AccountInfo,
      SenzaComponents: [],
    }) as JsonObject;
    return { request, info: info as SenzaInfo, doc, args, placeholders, messages };
  });
}

/** The tags of SenzaInfo.Tags (a map, sorted as the original's YAML round trip did, or a list of maps). */
function definitionTags(info: JsonObject): { key: string; value: string; path: (string | number)[] }[] {
  const raw = info.Tags;
  const path = ['SenzaInfo', 'Tags'];
  if (Array.isArray(raw)) {
    return raw.flatMap((entry, i) =>
      isObject(entry)
        ? Object.entries(entry).map(([key, v]) => ({ key, value: pythonStr(v), path: [...path, i, key] }))
        : [],
    );
  }
  if (!isObject(raw)) return [];
  return Object.keys(raw)
    .sort()
    .map((key) => ({ key, value: pythonStr(raw[key]), path: [...path, key] }));
}

/**
 * StackName and SenzaInfo tags against AWS's rules. Before anything is fetched only what has no placeholder
 * can be checked (`placeholders: 'skip'`); after rendering, everything.
 */
function checkAwsNames(info: JsonObject, version: string, placeholders: 'skip' | 'rendered'): void {
  const unrendered = (text: string) => placeholders === 'skip' && text.includes('{{');
  if (typeof info.StackName === 'string' && info.StackName !== '' && !unrendered(info.StackName)) {
    checkStackName(info.StackName, version, ['SenzaInfo', 'StackName']);
  }
  for (const { key, value, path } of definitionTags(info)) {
    if (!unrendered(key) && !unrendered(value)) checkStackTag(key, value, path);
  }
}

/** Component names that become logical IDs; before rendering, the literal ones. */
function checkComponentNames(components: Json | undefined, placeholders: 'skip' | 'rendered'): void {
  if (!Array.isArray(components)) return;
  components.forEach((entry, index) => {
    if (!isObject(entry)) return;
    for (const [name, config] of Object.entries(entry)) {
      if (placeholders === 'skip' && name.includes('{{')) continue;
      const type = isObject(config) && typeof config.Type === 'string' ? config.Type : '';
      checkComponentName(name, type, ['SenzaComponents', index, name]);
    }
  });
}

/** Definition tags, then Name/StackName/StackVersion (replacing same-named ones in place). */
function stackTags(info: JsonObject): Tag[] {
  const tags: Tag[] = definitionTags(info).map(({ key, value }) => ({ Key: key, Value: value }));
  const set = (Key: string, Value: string) => {
    const existing = tags.find((t) => t.Key === Key);
    if (existing) existing.Value = Value;
    else tags.push({ Key, Value });
  };
  set('Name', `${info.StackName}-${info.StackVersion}`);
  set('StackName', String(info.StackName));
  set('StackVersion', String(info.StackVersion));
  return tags;
}

/**
 * The `--tag KEY=VALUE` tags after the stack's own: each checked as AWS checks tags (like SenzaInfo.Tags),
 * none repeating a key the stack already has (`--tag StackName=x`), at most 50 tags in all (CreateStack).
 */
function withExtraTags(tags: Tag[], extra: Tag[]): Tag[] {
  const all = [...tags];
  for (const tag of extra) {
    const option = `--tag ${tag.Key}=${tag.Value}`;
    const problem = stackTagProblem(tag.Key, tag.Value);
    if (problem !== undefined) {
      throw new UsageError(`Invalid ${option}: ${problem}`, { code: 'senza.tag-option-invalid', hint: TAG_RULES });
    }
    const existing = all.find((t) => t.Key === tag.Key);
    if (existing) {
      throw new UsageError(
        `Invalid ${option}: the stack already has tag ${tag.Key} (${JSON.stringify(existing.Value)})`,
        {
          code: 'senza.tag-option-invalid',
          hint: 'senza sets Name, StackName and StackVersion itself and SenzaInfo.Tags the others; use another key.',
        },
      );
    }
    all.push(tag);
  }
  if (all.length > STACK_TAG_LIMIT) {
    throw new UsageError(`The stack would have ${all.length} tags; CloudFormation allows at most ${STACK_TAG_LIMIT}`, {
      code: 'senza.tags-too-many',
      hint: 'Drop tags from SenzaInfo.Tags or --tag (senza adds Name, StackName and StackVersion to them).',
    });
  }
  return all;
}

interface ComponentEntry {
  name: string;
  config: JsonObject;
  index: number;
}

function componentEntries(prepared: PreparedDefinition): ComponentEntry[] {
  const list = prepared.doc.SenzaComponents;
  if (list === undefined || list === null) return [];
  checkComponentNames(list, 'rendered');
  if (!Array.isArray(list)) {
    throw new DefinitionError('SenzaComponents must be a list of "- Name: {Type: ...}" entries', {
      path: ['SenzaComponents'],
    });
  }
  return list.map((entry, index) => {
    if (!isObject(entry) || Object.keys(entry).length !== 1) {
      throw new DefinitionError('each SenzaComponents entry must be a map with exactly one key, the component name', {
        path: ['SenzaComponents', index],
      });
    }
    const [name, config] = Object.entries(entry)[0];
    if (!isObject(config)) {
      throw new DefinitionError(`component "${name}" must be a map with a Type`, {
        path: ['SenzaComponents', index, name],
      });
    }
    return { name, config, index };
  });
}

function componentTypeOf(entry: ComponentEntry) {
  const type = String(entry.config.Type ?? '');
  const component = componentTypes.get(type);
  if (!component && KNOWN_COMPONENT_TYPES.includes(type)) {
    throw new DefinitionError(
      `Component type "${type}" is not supported by this version of senza yet`,
      {
        path: ['SenzaComponents', entry.index, entry.name, 'Type'],
      },
      {
        code: 'definition.unsupported-component',
        hint: 'Use the original senza for this definition, or another component type.',
      },
    );
  }
  if (!component) {
    const known = [...componentTypes.keys()];
    const suggestion = closest(type, known);
    throw new DefinitionError(
      `Component "${type}" does not exist`,
      { path: ['SenzaComponents', entry.index, entry.name, 'Type'] },
      {
        code: 'definition.unknown-component',
        hint: `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Known types: ${known.join(', ')}.`,
      },
    );
  }
  return component;
}

function needsContext(prepared: PreparedDefinition, name: string): NeedsContext {
  return { name, info: prepared.info, region: prepared.request.region, force: prepared.request.force ?? false };
}

/** Step 3 (pure): the account facts the components and stack options need. */
export function componentNeedsOf(prepared: PreparedDefinition): FactNeed[] {
  return locateErrors(prepared.request.definition, () => {
    const needs: FactNeed[] = [];
    for (const entry of componentEntries(prepared)) {
      const config = { ...entry.config, Name: entry.name };
      needs.push(...componentTypeOf(entry).needs(config, needsContext(prepared, entry.name)));
    }
    const topic = prepared.info.OperatorTopicId;
    if (typeof topic === 'string' && !topic.startsWith('arn:')) needs.push({ kind: 'topics' });
    const ciphertexts = kmsValues(prepared.info).map(([, c]) => c);
    if (ciphertexts.length > 0) needs.push({ kind: 'kmsDecrypt', ciphertexts });
    return needs;
  });
}

const KMS_PREFIX = 'senza:kms:';

/** SenzaInfo values encrypted with KMS (`senza:kms:<base64>`), as [key, base64 ciphertext]. */
function kmsValues(info: JsonObject): [string, string][] {
  return Object.entries(info)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].startsWith(KMS_PREFIX))
    .map(([k, v]) => [k, v.slice(KMS_PREFIX.length)]);
}

/** Step 4 (pure): run the components in order and finish the template. */
export function compileTemplate(
  prepared: PreparedDefinition,
  facts: AccountFacts,
  host: IoHost = silentHost,
): CompiledStack {
  const def = prepared.request.definition;
  return locateErrors(def, () => {
    const { info, args } = prepared;
    const template: CfTemplate = {
      AWSTemplateFormatVersion: '2010-09-09',
      // A copy: components write into the template, and a prepared definition may be compiled again.
      ...(structuredClone(prepared.doc) as Partial<CfTemplate>),
    } as CfTemplate;
    // Pass 3: `senza:kms:` values of SenzaInfo are decrypted in Mappings.Senza.Info (only there, as in
    // the original: placeholders rendered earlier saw the encrypted value).
    const mappedInfo = (template.Mappings?.Senza as JsonObject | undefined)?.Info;
    if (isObject(mappedInfo)) {
      for (const [key, ciphertext] of kmsValues(info)) mappedInfo[key] = facts.kmsPlaintext(ciphertext);
    }
    delete template.SenzaComponents;
    if (!isObject(template.Mappings)) template.Mappings = {};
    if (!isObject(template.Resources)) template.Resources = {};
    const entries = componentEntries(prepared);
    for (const entry of entries) {
      const component = componentTypeOf(entry);
      const ctx: ComponentContext = {
        ...needsContext(prepared, entry.name),
        args,
        facts,
        host,
        path: ['SenzaComponents', entry.index, entry.name],
      };
      try {
        component.apply(template, { ...entry.config, Name: entry.name }, ctx);
      } catch (e) {
        if (isStupsError(e) || !(e instanceof Error)) throw e;
        // Unexpected failures still say which component broke.
        throw new DefinitionError(
          `component "${entry.name}" (${component.type}) failed: ${e.message}`,
          { path: ctx.path },
          {
            code: 'definition.component-failed',
            cause: e,
          },
        );
      }
    }
    // Pass 5: placeholders that components or earlier passes left, with SenzaComponents known.
    const context: RenderContext = {
      SenzaInfo: info,
      Arguments: args,
      AccountInfo: accountInfoContext(facts, prepared.placeholders),
      SenzaComponents: (prepared.doc.SenzaComponents ?? []) as Json,
    };
    const finished = renderTree(template as unknown as Json, context) as unknown as CfTemplate;
    if (Object.keys(finished.Resources ?? {}).length === 0) {
      // CloudFormation rejects a template without resources; the original printed it and failed in create.
      const components = Array.isArray(prepared.doc.SenzaComponents);
      throw new DefinitionError(
        'the definition yields no resources: a CloudFormation stack needs at least one',
        { path: [components ? 'SenzaComponents' : 'SenzaInfo'] },
        {
          code: 'definition.no-resources',
          hint: 'Add a component that creates resources (e.g. Senza::TaupageAutoScalingGroup or Senza::WeightedDnsElasticLoadBalancer) to SenzaComponents, or a Resources section.',
        },
      );
    }

    const stackName = `${info.StackName}-${info.StackVersion}`;
    const topic = info.OperatorTopicId;
    const notificationArns = typeof topic === 'string' && topic ? [resolveTopicArn(topic, facts)] : [];
    const tags = withExtraTags(stackTags(info), prepared.request.extraTags ?? []);
    return {
      stackName,
      template: finished,
      tags,
      notificationArns,
      capabilities: capabilitiesOf(finished),
      parameters: Object.keys(finished.Parameters ?? {}).map((k) => ({
        ParameterKey: k,
        ParameterValue: args[k] ?? null,
      })),
      args,
    };
  });
}

/** The properties that give an IAM resource a custom name (CreateStack, "Capabilities"). */
const IAM_NAME_PROPERTIES = ['RoleName', 'InstanceProfileName', 'ManagedPolicyName', 'UserName', 'GroupName'];

/** Whether a value holds an `Fn::Transform` (a macro) anywhere. */
function hasMacro(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasMacro);
  if (!isObject(v)) return false;
  return Object.entries(v).some(([k, x]) => k === 'Fn::Transform' || hasMacro(x));
}

/**
 * The capabilities CreateStack/UpdateStack need for a template (API_CreateStack, "Capabilities"):
 * CAPABILITY_NAMED_IAM when an IAM resource has a custom name (RoleName, InstanceProfileName,
 * ManagedPolicyName, UserName, GroupName), else CAPABILITY_IAM for IAM resources; CAPABILITY_AUTO_EXPAND
 * for a `Transform` section or an `Fn::Transform` macro. Each at most once.
 */
export function capabilitiesOf(template: CfTemplate): string[] {
  const caps = new Set<string>();
  for (const r of Object.values(template.Resources ?? {})) {
    if (typeof r.Type === 'string' && r.Type.startsWith('AWS::IAM::')) {
      const props = isObject(r.Properties) ? r.Properties : {};
      const named = IAM_NAME_PROPERTIES.some((p) => props[p] !== undefined);
      caps.add(named ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM');
    }
  }
  if (template.Transform !== undefined || hasMacro(template)) caps.add('CAPABILITY_AUTO_EXPAND');
  return [...caps];
}

export { formatLocation };

import { DefinitionError, UsageError } from '../../errors.js';
import type { YamlPath } from './yaml-source.js';

/**
 * The rules AWS applies to the names a definition turns into AWS resource names, checked before any AWS call
 * so that a bad name is a definition error with a line number instead of a failed CreateStack.
 */

const STACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]*$/;
const STACK_NAME_LIMIT = 128;
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TAG_KEY_LIMIT = 128;
const TAG_VALUE_LIMIT = 256;
/** CreateStack: "A maximum number of 50 tags can be specified." */
export const STACK_TAG_LIMIT = 50;

/**
 * `<StackName>-<version>` as a CloudFormation stack name: at most 128 characters (the original's message), a
 * letter first, then letters, digits and hyphens.
 */
export function checkStackName(stackName: string, version: string, path: YamlPath): void {
  const full = `${stackName}-${version}`;
  if (full.length > STACK_NAME_LIMIT) {
    throw new UsageError(
      `Stack name "${full}" cannot exceed ${STACK_NAME_LIMIT} characters. Please choose another name/version.`,
      { code: 'senza.stack-name-too-long' },
    );
  }
  if (STACK_NAME.test(stackName)) return;
  throw new DefinitionError(
    `StackName ${JSON.stringify(stackName)} does not make a valid CloudFormation stack name: "${stackName}-${version}" must start with a letter and contain only letters, digits and hyphens`,
    { path },
    { code: 'definition.stack-name-invalid', hint: 'Use e.g. "hello-world": letters, digits and hyphens.' },
  );
}

/** What AWS's tag rules say about a tag; undefined when it is fine. */
export function stackTagProblem(key: string, value: string): string | undefined {
  return key.length === 0
    ? 'a tag key must not be empty'
    : [...key].length > TAG_KEY_LIMIT
      ? `tag key ${JSON.stringify(key)} is longer than ${TAG_KEY_LIMIT} characters`
      : key.toLowerCase().startsWith('aws:')
        ? `tag key ${JSON.stringify(key)} uses the prefix "aws:", which AWS reserves`
        : !TAG_TEXT.test(key)
          ? `tag key ${JSON.stringify(key)} contains characters AWS does not allow in tags`
          : [...value].length > TAG_VALUE_LIMIT
            ? `the value of tag ${JSON.stringify(key)} is longer than ${TAG_VALUE_LIMIT} characters`
            : !TAG_TEXT.test(value)
              ? `the value of tag ${JSON.stringify(key)} (${JSON.stringify(value)}) contains characters AWS does not allow in tags`
              : undefined;
}

export const TAG_RULES =
  'AWS tags allow letters, digits, spaces and _ . : / = + - @ (keys up to 128, values up to 256 characters), no key starting with "aws:".';

/** A stack tag as AWS accepts it: key 1–128 and value up to 256 characters of the allowed set, no `aws:` key. */
export function checkStackTag(key: string, value: string, path: YamlPath): void {
  const problem = stackTagProblem(key, value);
  if (problem === undefined) return;
  throw new DefinitionError(problem, { path }, { code: 'definition.tag-invalid', hint: TAG_RULES });
}

/** Component types whose resources have fixed logical IDs (the name is only a label). */
const NAME_NOT_A_LOGICAL_ID = new Set([
  'Senza::Configuration',
  'Senza::SubnetAutoConfiguration',
  'Senza::StupsAutoConfiguration',
  'Senza::RedisNode',
  'Senza::RedisCluster',
]);
const LOGICAL_ID = /^[A-Za-z0-9]+$/;

/** A component name that becomes the logical ID (prefix) of its resources: letters and digits only. */
export function checkComponentName(name: string, type: string, path: YamlPath): void {
  if (NAME_NOT_A_LOGICAL_ID.has(type) || LOGICAL_ID.test(name)) return;
  throw new DefinitionError(
    `component name ${JSON.stringify(name)} must be letters and digits only: it becomes the CloudFormation logical ID of the ${type} resources`,
    { path },
    { code: 'definition.component-name', hint: 'Rename the component, e.g. "AppServer" or "AppLoadBalancer2".' },
  );
}

import { EXIT, formatLocation } from '../../errors.js';
import type { CodesOf } from '../../io/message-codes.js';
import type { Message, MessageCatalog } from '../../io/messages.js';
import type { ParameterConversion } from './arguments.js';

/** Reading a definition: YAML, SenzaInfo, placeholders, parameters. */
export const DEFINITION_MESSAGES = {
  'definition.not-a-map': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'not a valid senza definition: expected a YAML map with SenzaInfo, got …',
  },
  'definition.yaml-syntax': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'not valid YAML: …, with the file, line and column of the fault.',
  },
  'definition.too-deep': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Maps and lists nest deeper than 100 levels.',
  },
  'definition.schema': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description:
      'A key of the definition has a value of the wrong shape (the JSON schema of senza definitions); file, line and key are named.',
  },
  'definition.missing-key': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description:
      "A required key is missing (e.g. SenzaInfo, StackName, a component's InstanceType); located at the map that lacks it.",
  },
  'definition.placeholder-syntax': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'invalid placeholder syntax: …',
  },
  'definition.senza-info-missing': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: '"SenzaInfo" entry is missing in YAML file "…"',
  },
  'definition.unknown-placeholder': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'unknown placeholder {{…}}: …',
  },
  'senza.definition-unreadable': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'The definition file cannot be read (missing, unreadable).',
  },
  'senza.parameter-duplicate': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Parameter specified multiple times: "…"',
  },
  'senza.parameter-file-empty': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'The --parameter-file is empty or not a map of NAME: VALUE.',
  },
  'senza.parameter-file-invalid': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'a parameter file must be a map of NAME: VALUE',
  },
  'senza.parameter-file-unreadable': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Can\'t read parameter file "…"',
  },
  'senza.parameter-missing': { level: 'error', exitCode: EXIT.USAGE, description: 'Missing parameter "…". Need: "…"' },
  'senza.parameter-not-allowed': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'A parameter value outside the AllowedValues of its declaration.',
  },
  'senza.parameter-unknown': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'A NAME=VALUE parameter that the definition does not declare.',
  },
  'senza.parameters-order': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Positional parameters must not follow keywords.',
  },
  'senza.parameters-too-many': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Too many parameters given. Need only: "…"',
  },
  'senza.version-invalid': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Invalid value for \'VERSION\': Version must satisfy regular expression pattern "[a-zA-Z0-9]+"',
  },
  'senza.parameter-yaml-converted': {
    level: 'warn',
    description:
      'a parameter value from a parameter file or a Default was read by YAML as a number, boolean, null or timestamp whose text differs from what was written (1.10 → 1.1, ~ → None, yes → True); the text Python writes is the value used',
    data: {
      parameter: 'the parameter name',
      written: 'the text in the file',
      used: 'the value used (Python str() of the YAML value)',
      type: 'the YAML type: int, float, bool, null or timestamp',
    },
  },
  'senza.parameter-value-invalid': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'A parameter value that cannot be used as given (e.g. a YAML collection where a scalar is expected).',
  },
  'definition.stack-name-invalid': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description:
      'The stack name (with the version) breaks the CloudFormation stack-name rules: a letter first, then letters, digits and hyphens, at most 128 characters.',
  },
  'definition.tag-invalid': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'A SenzaInfo tag key or value breaks the AWS tag rules (length, characters, no aws: prefix).',
  },
  'definition.component-name': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'A component name that becomes a CloudFormation logical ID is not alphanumeric.',
  },
  'definition.not-an-integer': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description:
      'A property CloudFormation types as an integer (port, size, count) has a literal that is not an integer or digit string.',
  },
  'definition.not-a-boolean': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'A property CloudFormation types as a boolean has a literal that is not true or false.',
  },
  'senza.tag-invalid': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'Invalid tag …. Tags should be in the form of key=value',
  },
} satisfies MessageCatalog;

export function parameterConversionMessage(c: ParameterConversion): Message {
  const at = formatLocation({ file: c.file, line: c.line, column: c.column });
  return {
    level: 'warn',
    code: 'senza.parameter-yaml-converted',
    text: `${at}: parameter ${c.name}: YAML reads ${c.written} as a ${c.type}, so the value used is "${c.used}" (quote it, "${c.written}", to keep the text)`,
    data: { parameter: c.name, written: c.written, used: c.used, type: c.type },
  };
}

declare module '../../io/message-codes.js' {
  interface MessageCodes extends CodesOf<typeof DEFINITION_MESSAGES> {}
}

import { EXIT } from '../../errors.js';
import type { MessageCatalog } from '../../io/messages.js';

/** Reading a definition: YAML, SenzaInfo, placeholders, parameters. */
export const DEFINITION_MESSAGES = {
  'definition.not-a-map': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'not a valid senza definition: expected a YAML map with SenzaInfo, got …',
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
} satisfies MessageCatalog;

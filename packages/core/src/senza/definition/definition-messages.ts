import { formatLocation } from '../../errors.js';
import type { Message, MessageCatalog } from '../../io/messages.js';
import type { ParameterConversion } from './arguments.js';

/** Messages emitted while reading a definition and its parameters. */
export const definitionMessages: MessageCatalog = {
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
};

export function parameterConversionMessage(c: ParameterConversion): Message {
  const at = formatLocation({ file: c.file, line: c.line, column: c.column });
  return {
    level: 'warn',
    code: 'senza.parameter-yaml-converted',
    text: `${at}: parameter ${c.name}: YAML reads ${c.written} as a ${c.type}, so the value used is "${c.used}" (quote it, "${c.written}", to keep the text)`,
    data: { parameter: c.name, written: c.written, used: c.used, type: c.type },
  };
}

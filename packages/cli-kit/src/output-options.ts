import { OUTPUT_FORMATS, type OutputFormat } from '@stups/core/io';
import { choice, list } from './option-spec.js';

/** What each output format is, for completion. */
export const OUTPUT_FORMAT_HELP: Readonly<Record<OutputFormat, string>> = {
  text: "a table for people, fitted to the terminal's width",
  json: 'one JSON document (sorted keys, ISO-8601 times)',
  tsv: 'tab-separated values with a header line, cells whole',
  yaml: 'a YAML list',
};

/** `-o/--output text|json|tsv|yaml`, which every listing takes. */
export const outputOption = () =>
  choice('-o, --output <FORMAT>', 'output format', OUTPUT_FORMATS, 'text', { choiceHelp: OUTPUT_FORMAT_HELP });

/** `-f/--field NAME`: only these columns, in table order. */
export const fieldOption = () =>
  list('-f, --field <NAME>', 'show only this column (repeatable; columns keep their order)', { showDefault: false });

export type { OutputFormat };

import { OUTPUT_FORMATS, type OutputFormat } from '@stups/core/io';
import { choice, list } from './option-spec.js';

/** `-o/--output text|json|tsv|yaml`, which every listing takes. */
export const outputOption = () => choice('-o, --output <FORMAT>', 'output format', OUTPUT_FORMATS, 'text');

/** `-f/--field NAME`: only these columns, in table order. */
export const fieldOption = () =>
  list('-f, --field <NAME>', 'show only this column (repeatable; columns keep their order)', { showDefault: false });

export type { OutputFormat };

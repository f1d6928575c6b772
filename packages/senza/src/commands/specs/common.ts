import { OUTPUT_FORMATS } from '@stups/core/io/output-formats';
import { Option } from '../../commander.js';

/** Options shared by many commands, declared once. */
export const regionOption = () =>
  new Option('--region <AWS_REGION_ID>', 'AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or ~/.aws/config)');
export const parameterFileOption = () =>
  new Option('--parameter-file <PATH>', 'YAML map of parameter values, used after the command-line ones');

export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export const outputOption = () =>
  new Option('-o, --output <FORMAT>', 'output format').choices([...OUTPUT_FORMATS]).default('text');
export const fieldOption = () =>
  new Option('-f, --field <NAME>', 'show only this column (repeatable; columns keep their order)').argParser(
    (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
  );

import { OUTPUT_FORMATS } from '@stups/core/io/output-formats';
import { InvalidArgumentError, Option } from '../../commander.js';

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

/** An integer option within bounds (click's IntRange), declared once for every command. */
export function intRange(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(`${value} is not in the range ${min}<=x<=${max}.`);
    }
    return n;
  };
}

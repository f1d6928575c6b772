import { Option } from 'commander';

/** Options shared by many commands, declared once. */
export const regionOption = () =>
  new Option('--region <AWS_REGION_ID>', 'AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or ~/.aws/config)');
export const parameterFileOption = () =>
  new Option('--parameter-file <PATH>', 'YAML map of parameter values, used after the command-line ones');

export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

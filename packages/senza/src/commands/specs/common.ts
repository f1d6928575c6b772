import { text } from '@stups/cli-kit';

/** Options shared by many senza commands, declared once. */
export const regionOption = () =>
  text('--region <AWS_REGION_ID>', 'AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or ~/.aws/config)');
export const parameterFileOption = () =>
  text('--parameter-file <PATH>', 'YAML map of parameter values, used after the command-line ones');

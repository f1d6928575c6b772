import { arg, choice, flag, text } from '@stups/cli-kit';

/** What zsh completes for a YAML file argument or option: these files, and directories. */
export const YAML_FILES = ['yaml', 'yml'] as const;

/** Options shared by many senza commands, declared once. */
export const regionOption = () =>
  text('--region <AWS_REGION_ID>', 'AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or ~/.aws/config)');
export const parameterFileOption = () =>
  text('--parameter-file <PATH>', 'YAML map of parameter values, used after the command-line ones', {
    file: YAML_FILES,
  });
/** `-f` of the commands that compile a definition (print, create, update, diff). */
export const skipRegistryChecksOption = () => flag('-f, --force', 'skip checks against Docker registries');

/** The arguments of the commands that compile a definition: file, version, parameter values. */
export const definitionArgs = [
  arg('<DEFINITION>', 'Senza definition YAML file', { file: YAML_FILES }),
  arg('<VERSION>', 'stack version, letters and digits (e.g. 1, 42, v2)'),
  arg('[PARAMETER...]', 'parameter values, positional or NAME=VALUE'),
] as const;

/** `-o json|yaml` of the commands that print a template (print, dump). */
export const templateOutputOption = () =>
  choice('-o, --output <FORMAT>', 'output format', ['json', 'yaml'], 'json', {
    choiceHelp: { json: 'the template as JSON (sorted keys, 4-space indentation)', yaml: 'the template as YAML' },
  });

/** `-o text|json` of the commands whose result is a report (diff, diagnose). */
export const reportOutputOption = () =>
  choice('-o, --output <FORMAT>', 'output format', ['text', 'json'], 'text', {
    choiceHelp: { text: 'a report for people', json: 'one JSON document' },
  });

/** The options every command that compiles a definition starts with: where, and the parameter file. */
export const definitionOptions = () => ({ region: regionOption(), parameterFile: parameterFileOption() });

import { arg, commandShape, flag, list, type RunOf, text } from '@stups/cli-kit';
import {
  definitionArgs,
  definitionOptions,
  regionOption,
  skipRegistryChecksOption,
  templateOutputOption,
  YAML_FILES,
} from './common.js';

export const initShape = commandShape({
  args: [arg('<DEFINITION_FILE>', 'file to write, or - for stdout', { file: YAML_FILES })],
  options: {
    template: text('-t, --template <TEMPLATE_ID>', 'template: bgapp, rediscluster, redisnode, webapp'),
    userVariable: list('-v, --user-variable <KEY=VAL>', 'answer a prompt, e.g. -v application_id=shop (repeatable)'),
    yes: flag('-y, --yes', 'accept the default of every prompt not answered by -v'),
    force: flag('-f, --force', 'overwrite an existing file'),
    region: regionOption(),
  },
});
export type InitRun = RunOf<typeof initShape>;

export const printShape = commandShape({
  args: definitionArgs,
  options: {
    ...definitionOptions(),
    output: templateOutputOption(),
    force: skipRegistryChecksOption(),
  },
});
export type PrintRun = RunOf<typeof printShape>;

import { Option } from '../../commander.js';
import type { CommandSpec } from '../../main.js';
import { collect, parameterFileOption, regionOption } from './common.js';

/** Commands that work on a definition file. */
export const definitionCommands: CommandSpec[] = [
  {
    name: 'init',
    summary: 'Create a new Senza definition from a template',
    define: (cmd) =>
      cmd
        .argument('<DEFINITION_FILE>', 'file to write, or - for stdout')
        .option('-t, --template <TEMPLATE_ID>', 'template: bgapp, rediscluster, redisnode, webapp')
        .option(
          '-v, --user-variable <KEY=VAL>',
          'answer a prompt, e.g. -v application_id=shop (repeatable)',
          collect,
          [],
        )
        .option('-y, --yes', 'accept the default of every prompt not answered by -v')
        .option('-f, --force', 'overwrite an existing file')
        .addOption(regionOption()),
    load: () => import('../init.js'),
  },
  {
    name: 'print',
    summary: 'Print the generated CloudFormation template',
    define: (cmd) =>
      cmd
        .argument('<DEFINITION>', 'Senza definition YAML file')
        .argument('<VERSION>', 'stack version, letters and digits (e.g. 1, 42, v2)')
        .argument('[PARAMETER...]', 'parameter values, positional or NAME=VALUE')
        .addOption(regionOption())
        .addOption(parameterFileOption())
        .addOption(new Option('-o, --output <FORMAT>', 'output format').choices(['json', 'yaml']).default('json'))
        .option('-f, --force', 'skip checks against Docker registries'),
    load: () => import('../print.js'),
  },
];

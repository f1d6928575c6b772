import { createRequire } from 'node:module';

// commander is CommonJS: `require` skips the ESM loader's export scanning, a noticeable part of
// `senza --help`'s start-up.
const commander = createRequire(import.meta.url)('commander') as typeof import('commander');

export const Command = commander.Command;
export type Command = import('commander').Command;
export const CommanderError = commander.CommanderError;
export type CommanderError = import('commander').CommanderError;
export const InvalidArgumentError = commander.InvalidArgumentError;
export type InvalidArgumentError = import('commander').InvalidArgumentError;
export const Option = commander.Option;
export type Option = import('commander').Option;

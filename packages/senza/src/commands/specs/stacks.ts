import type { CommandSpec } from '../../main.js';

export const stacksCommands: CommandSpec[] = [];

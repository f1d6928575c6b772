import type { CommandSpec } from '../../main.js';

export const lifecycleCommands: CommandSpec[] = [];

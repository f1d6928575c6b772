import type { CommandSpec } from '../../main.js';

export const trafficCommands: CommandSpec[] = [];

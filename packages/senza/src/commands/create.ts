import { deploy } from '../deploy.js';
import type { CreateRun } from './specs/lifecycle.js';

export const run: CreateRun = (args, options, cli) => deploy('create', args, options, cli);

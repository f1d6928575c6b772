import { deploy } from '../deploy.js';
import type { UpdateRun } from './specs/lifecycle.js';

export const run: UpdateRun = (args, options, cli) => deploy('update', args, options, cli);
